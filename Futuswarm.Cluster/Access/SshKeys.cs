using System.Security.Cryptography;
using System.Text;

namespace Futuswarm.Cluster.Access;

/// <summary>OpenSSH public key text: compared by type and blob, comments ignored.</summary>
public static class SshKeys
{
    public static (string Type, string Blob)? Parse(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !parts[0].StartsWith("ssh-", StringComparison.Ordinal) && !parts[0].StartsWith("ecdsa-", StringComparison.Ordinal) && !parts[0].StartsWith("sk-", StringComparison.Ordinal))
            return null;
        try { Convert.FromBase64String(parts[1]); } catch (FormatException) { return null; }
        return (parts[0], parts[1]);
    }

    public static bool SameKey(string a, string b) => Parse(a) is { } x && Parse(b) is { } y && x == y;

    /// <summary>The SHA256 fingerprint as ssh-keygen -l prints it; safe to log.</summary>
    public static string Fingerprint(string key) =>
        Parse(key) is { } k ? "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(k.Blob))).TrimEnd('=') : "unknown";
}
