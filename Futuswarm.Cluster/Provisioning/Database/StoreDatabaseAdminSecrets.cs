using System.Text.Json;
using System.Text.Json.Serialization;
using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>
/// The admin's login in the cluster's store at databases/futuswarm-admin.json, sealed under
/// SecretContext(cluster, "futuswarm", "database-admin"): like the service master's databases/futuswarm-master.json,
/// "futuswarm" is a reserved service prefix, so no tenant's databases/&lt;svc&gt;.json or secret context meets it.
/// </summary>
public sealed class StoreDatabaseAdminSecrets(IStateStore store, EnvelopeCipher cipher, string cluster) : IDatabaseAdminSecrets
{
    public const string Key = "databases/futuswarm-admin.json";
    public const string ContextKey = "database-admin";

    private sealed record Record(
        [property: JsonPropertyName("v")] int Version, string Identifier, string User, string Password, bool Applied);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private SecretContext Context => new(cluster, DatabaseCredentialsRepository.MasterService, ContextKey);

    public async Task<DatabaseAdminSecret?> LoadAsync(CancellationToken ct)
    {
        var bytes = await store.ReadAsync(Key, ct);
        if (bytes is null) return null;
        var plain = await cipher.OpenAsync(Context, bytes, ct);
        try
        {
            var r = JsonSerializer.Deserialize<Record>(plain, Json);
            if (r is null || r.Version != 1 || string.IsNullOrEmpty(r.Password) || string.IsNullOrEmpty(r.User))
                throw Corrupt();
            return new DatabaseAdminSecret(r.Identifier, r.User, r.Password, r.Applied);
        }
        catch (JsonException) { throw Corrupt(); }
        finally { Array.Clear(plain); }
    }

    public async Task SaveAsync(DatabaseAdminSecret secret, CancellationToken ct)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(new Record(1, secret.Identifier, secret.User, secret.Password, secret.Applied), Json);
        try { await store.WriteAsync(Key, await cipher.SealAsync(Context, plain, ct), ct); }
        finally { Array.Clear(plain); }
    }

    private static FswException Corrupt() =>
        new(ErrorCodes.StateCorrupt, $"The database admin's login ({Key}) cannot be read. Restore it from the store's history.");
}
