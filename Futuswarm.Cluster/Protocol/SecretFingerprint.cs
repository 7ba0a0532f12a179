using System.Security.Cryptography;

namespace Futuswarm.Protocol;

/// <summary>
/// Tells whether a client's secret value equals the cluster's current one without sending it: an HMAC-SHA256
/// under a per-service key that the manager keeps encrypted and gives only to the service's owners, so the
/// fingerprints in the store reveal nothing to someone who can read the store but not the key.
/// </summary>
public static class SecretFingerprint
{
    public static string Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, value));
}
