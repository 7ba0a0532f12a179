using System.Text.Json;
using System.Text.Json.Serialization;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Databases;

/// <summary>One login role's password as the daemon keeps it; null when the role has no password (it cannot log in).</summary>
public sealed record LoginSecret
{
    public required string Role { get; init; }
    public string? Password { get; init; }
    public DateTimeOffset? SetAt { get; init; }

    public override string ToString() => $"LoginSecret {{ Role = {Role}, SetAt = {SetAt} }}";
}

/// <summary>
/// What the daemon knows of a service's database: which login is active and both logins' passwords. It is the
/// truth the server is brought to (EnsureAsync sets each role's password from it), so it is written before the server changes.
/// </summary>
public sealed record DatabaseCredentials
{
    public const int CurrentVersion = 1;
    [JsonPropertyName("v")] public int Version { get; init; } = CurrentVersion;
    public required string Database { get; init; }
    public required string ActiveRole { get; init; }
    public required IReadOnlyList<LoginSecret> Logins { get; init; }

    public LoginSecret Login(string role) => Logins.FirstOrDefault(l => l.Role == role)
        ?? throw new FswException(ErrorCodes.StateCorrupt, $"The credentials of database {Database} name no login role {role}.");

    public DatabaseCredentials With(LoginSecret login) =>
        this with { Logins = Logins.Select(l => l.Role == login.Role ? login : l).ToList() };

    public override string ToString() => $"DatabaseCredentials {{ Database = {Database}, ActiveRole = {ActiveRole} }}";
}

/// <summary>
/// Sealed credentials in the store: databases/&lt;svc&gt;.json under SecretContext(cluster, svc, "database"), and the
/// master's at databases/futuswarm-master.json under SecretContext(cluster, "futuswarm", "database-master")
/// ("futuswarm" is a reserved service prefix, so no tenant's key or context meets it).
/// </summary>
public sealed class DatabaseCredentialsRepository(IStateStore store, EnvelopeCipher cipher, string cluster)
{
    public const string MasterKey = "databases/futuswarm-master.json";
    public const string ContextKey = "database";
    public const string MasterService = "futuswarm", MasterContextKey = "database-master";

    private static readonly JsonSerializerOptions Json = new(Wire.LenientJson) { WriteIndented = false };

    public static string KeyOf(string service) => $"databases/{service}.json";

    public async Task<DatabaseCredentials?> LoadAsync(string service, CancellationToken ct)
    {
        var bytes = await store.ReadAsync(KeyOf(service), ct);
        if (bytes is null) return null;
        var plain = await cipher.OpenAsync(new SecretContext(cluster, service, ContextKey), bytes, ct);
        try
        {
            var creds = JsonSerializer.Deserialize<DatabaseCredentials>(plain, Json);
            if (creds is null || creds.Version != DatabaseCredentials.CurrentVersion || creds.Logins.Count != 2 || creds.Logins.All(l => l.Role != creds.ActiveRole))
                throw Corrupt(service, null);
            return creds;
        }
        catch (JsonException) { throw Corrupt(service, "not JSON of the expected shape"); }
        finally { Array.Clear(plain); }
    }

    public async Task SaveAsync(string service, DatabaseCredentials creds, CancellationToken ct)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(creds, Json);
        try { await store.WriteAsync(KeyOf(service), await cipher.SealAsync(new SecretContext(cluster, service, ContextKey), plain, ct), ct); }
        finally { Array.Clear(plain); }
    }

    public Task DeleteAsync(string service, CancellationToken ct) => store.DeleteAsync(KeyOf(service), ct);

    /// <summary>The master's password; null when none was sealed yet.</summary>
    public async Task<string?> LoadMasterPasswordAsync(CancellationToken ct)
    {
        var bytes = await store.ReadAsync(MasterKey, ct);
        if (bytes is null) return null;
        var plain = await cipher.OpenAsync(new SecretContext(cluster, MasterService, MasterContextKey), bytes, ct);
        try { return System.Text.Encoding.UTF8.GetString(plain); }
        finally { Array.Clear(plain); }
    }

    public async Task SaveMasterPasswordAsync(string password, CancellationToken ct)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(password);
        try { await store.WriteAsync(MasterKey, await cipher.SealAsync(new SecretContext(cluster, MasterService, MasterContextKey), plain, ct), ct); }
        finally { Array.Clear(plain); }
    }

    private static FswException Corrupt(string service, string? why) =>
        new(ErrorCodes.StateCorrupt, $"The database credentials of {service} ({KeyOf(service)}) cannot be read{(why is null ? "" : $" ({why})")}. Restore them from the store's history.");
}
