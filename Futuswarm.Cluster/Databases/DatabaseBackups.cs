using System.Globalization;
using System.Text.RegularExpressions;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Databases;

/// <summary>
/// Sealed dumps in the store at backups/&lt;yyyyMMddTHHmmssZ&gt;/databases/&lt;svc&gt;.dump, each under
/// SecretContext(cluster, svc, "backup"), beside the cluster's other backups (DESIGN.md section 6).
/// </summary>
public sealed partial class DatabaseBackups(IStateStore store, EnvelopeCipher cipher, string cluster)
{
    public const string ContextKey = "backup";
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string KeyOf(string service, DateTimeOffset at) =>
        $"backups/{at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}/databases/{service}.dump";

    [GeneratedRegex("^backups/[0-9]{8}T[0-9]{6}Z/databases/([a-z][a-z0-9-]*)\\.dump\\z")]
    private static partial Regex BackupKey();

    /// <summary>The service a backup key belongs to, or null when the key is not one of a database dump.</summary>
    public static string? ServiceOf(string key) => BackupKey().Match(key) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Seals and stores a dump; a store failure is FSW5012 (the backup was not made), naming the store's reason.</summary>
    public async Task<BackupInfo> SaveAsync(string service, byte[] dump, DateTimeOffset at, CancellationToken ct)
    {
        var key = KeyOf(service, at);
        try
        {
            var sealedDump = await cipher.SealAsync(new SecretContext(cluster, service, ContextKey), dump, ct);
            await store.WriteAsync(key, sealedDump, ct);
        }
        catch (FswException e) when (e.Code != ErrorCodes.BackupFailed)
        {
            throw new FswException(ErrorCodes.BackupFailed, $"The dump of {service} could not be stored at {key}: {e.Code}: {e.Message}");
        }
        return new BackupInfo { Key = key, SizeBytes = dump.LongLength, At = at };
    }

    /// <summary>The plaintext dump (pg_restore's custom format) stored at <paramref name="key"/>; null when there is none.</summary>
    public async Task<byte[]?> OpenAsync(string key, CancellationToken ct)
    {
        var service = ServiceOf(key) ?? throw new ArgumentException($"'{key}' is not the key of a database backup (backups/<time>/databases/<svc>.dump).", nameof(key));
        var bytes = await store.ReadAsync(key, ct);
        return bytes is null ? null : await cipher.OpenAsync(new SecretContext(cluster, service, ContextKey), bytes, ct);
    }

    /// <summary>The keys of a service's backups, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string service, CancellationToken ct) =>
        (await store.ListAsync("backups/", ct)).Where(k => ServiceOf(k) == service).ToList();
}
