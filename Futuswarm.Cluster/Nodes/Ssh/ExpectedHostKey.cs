using System.Security.Cryptography;

namespace Futuswarm.Cluster.Nodes.Ssh;

/// <summary>The host key a node must present: a full public key ("ssh-ed25519 AAAA... [comment]") or its SHA256
/// fingerprint ("SHA256:..."), as ssh-keygen -lf prints it.</summary>
public sealed class ExpectedHostKey
{
    public string? KeyType { get; }
    public string Fingerprint { get; }

    private ExpectedHostKey(string? keyType, string fingerprint) => (KeyType, Fingerprint) = (keyType, fingerprint);

    public static ExpectedHostKey Parse(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("SHA256:", StringComparison.Ordinal))
        {
            var fp = t["SHA256:".Length..].TrimEnd('=');
            if (fp.Length != 43) throw new FormatException("a SHA256 host key fingerprint has 43 base64 characters after 'SHA256:'");
            return new ExpectedHostKey(null, fp);
        }
        var parts = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) throw new FormatException("a host key is '<type> <base64>' or 'SHA256:<fingerprint>'");
        var blob = Convert.FromBase64String(parts[1]);
        if (SshKeyBlob.TypeOf(blob) != parts[0]) throw new FormatException($"the key blob is not of type {parts[0]}");
        return new ExpectedHostKey(parts[0], FingerprintOf(blob));
    }

    /// <summary>OpenSSH's SHA256 fingerprint: unpadded base64 of the SHA-256 of the key blob.</summary>
    public static string FingerprintOf(byte[] blob) => Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    public bool Matches(string presentedFingerprintSha256) =>
        CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Fingerprint), System.Text.Encoding.ASCII.GetBytes(presentedFingerprintSha256.TrimEnd('=')));

    public override string ToString() => (KeyType is null ? "" : KeyType + " ") + "SHA256:" + Fingerprint;
}

/// <summary>The type name at the start of an SSH public key blob (uint32 length + name).</summary>
public static class SshKeyBlob
{
    public static string? TypeOf(byte[] blob)
    {
        if (blob.Length < 4) return null;
        var len = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
        if (len <= 0 || len > 64 || 4 + len > blob.Length) return null;
        return WellFormed(blob) ? System.Text.Encoding.ASCII.GetString(blob, 4, len) : null;
    }

    /// <summary>A key blob is a run of length-prefixed fields that ends exactly at the end: a blob cut short (a torn
    /// console line) does not.</summary>
    static bool WellFormed(byte[] blob)
    {
        int at = 0, fields = 0;
        while (at < blob.Length)
        {
            if (blob.Length - at < 4) return false;
            var len = (long)((uint)blob[at] << 24 | (uint)blob[at + 1] << 16 | (uint)blob[at + 2] << 8 | blob[at + 3]);
            if (len > blob.Length - at - 4) return false;
            at += 4 + (int)len;
            fields++;
        }
        return fields >= 2;
    }
}
