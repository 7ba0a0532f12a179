using System.Security.Cryptography;
using Futuswarm.Cluster.State;

namespace Futuswarm.Cluster.Secrets;

/// <summary>
/// Secret values in the store: one envelope-encrypted record per version at services/&lt;svc&gt;/secrets/&lt;name&gt;/&lt;ulid&gt;.json,
/// and per service a fingerprint key (itself sealed) under which values are compared without being sent or stored.
/// </summary>
public sealed class SecretVault(IStateStore store, EnvelopeCipher cipher, string cluster)
{
    // Not a valid secret name (names may not start with '.'), so it cannot collide with a secret's context.
    private const string FingerprintKeyName = ".fingerprint-key";

    private static string VersionsPrefix(string service, string name) => $"services/{service}/secrets/{name}/";
    private static string RecordKey(string service, string name, string version) => $"{VersionsPrefix(service, name)}{version}.json";
    private static string FingerprintKeyKey(string service) => $"services/{service}/fingerprint-key.json";

    /// <summary>Seals and stores a new version; returns its ULID. Never overwrites: a ULID is unique.</summary>
    public async Task<string> AddVersionAsync(string service, string name, ReadOnlyMemory<byte> value, CancellationToken ct)
    {
        var version = Ulid.New(DateTimeOffset.UtcNow);
        var sealedRecord = await cipher.SealAsync(new SecretContext(cluster, service, name), value, ct);
        await store.WriteAsync(RecordKey(service, name, version), sealedRecord, ct);
        return version;
    }

    /// <summary>The plaintext of one version; the caller zeroes it. Null when the record is gone.</summary>
    public async Task<byte[]?> OpenAsync(string service, string name, string version, CancellationToken ct)
    {
        var bytes = await store.ReadAsync(RecordKey(service, name, version), ct);
        return bytes is null ? null : await cipher.OpenAsync(new SecretContext(cluster, service, name), bytes, ct);
    }

    public async Task<int> CountVersionsAsync(string service, string name, CancellationToken ct) =>
        (await store.ListAsync(VersionsPrefix(service, name), ct)).Count;

    /// <summary>The service's fingerprint key, made on first use. The caller zeroes it.</summary>
    public async Task<byte[]> FingerprintKeyAsync(string service, CancellationToken ct)
    {
        var ctx = new SecretContext(cluster, service, FingerprintKeyName);
        var existing = await store.ReadAsync(FingerprintKeyKey(service), ct);
        if (existing is not null) return await cipher.OpenAsync(ctx, existing, ct);
        var key = RandomNumberGenerator.GetBytes(32);
        await store.WriteAsync(FingerprintKeyKey(service), await cipher.SealAsync(ctx, key, ct), ct);
        return key;
    }
}
