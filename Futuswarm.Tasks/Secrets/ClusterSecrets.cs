using System.Security.Cryptography;
using Futuswarm.Protocol;

namespace Futuswarm.Tasks.Secrets;

/// <summary>
/// What the cluster holds for a service, from a secret-list answer: names, versions and fingerprints, never
/// values, plus the service's fingerprint key (zeroed on dispose).
/// </summary>
public sealed class ClusterSecrets : IDisposable
{
    private readonly byte[]? _key;

    private ClusterSecrets(IReadOnlyList<SecretInfo> secrets, byte[]? key, bool serviceExists)
    {
        ServiceExists = serviceExists;
        ByName = secrets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _key = key is { Length: > 0 } ? key : null;
    }

    public IReadOnlyDictionary<string, SecretInfo> ByName { get; }

    /// <summary>False before the first deploy: the manager changes only services that exist, so values come with that deploy.</summary>
    public bool ServiceExists { get; }

    /// <summary>The service has nothing on the cluster yet (FSW2012): every value is new.</summary>
    public static ClusterSecrets None() => new([], null, serviceExists: false);

    public static ClusterSecrets From(ResponseLine listed) => new(listed.Secrets ?? [], listed.FingerprintKey, serviceExists: true);

    /// <summary>Null without a key: the value cannot be compared, so it is sent.</summary>
    public string? FingerprintOf(byte[] value) => _key is null ? null : SecretFingerprint.Compute(_key, value);

    public void Dispose()
    {
        if (_key is not null) CryptographicOperations.ZeroMemory(_key);
    }
}
