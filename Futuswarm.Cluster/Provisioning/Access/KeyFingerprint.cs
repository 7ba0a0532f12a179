using System.Security.Cryptography;
using System.Text;

namespace Futuswarm.Cluster.Provisioning.Access;

/// <summary>
/// The fingerprint EC2 gives an imported OpenSSH public key, so the admin's key is compared with the key pair
/// without importing it: ED25519 is the base64 SHA-256 of the key blob (as <c>ssh-keygen -l</c>), RSA the
/// colon-separated MD5 of the DER SubjectPublicKeyInfo. Compared without a <c>SHA256:</c> prefix or base64 padding.
/// </summary>
public static class KeyFingerprint
{
    public static string Of(string openSshPublicKey)
    {
        var parts = openSshPublicKey.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) throw new FormatException("not an OpenSSH public key: expected \"<type> <base64> [comment]\"");
        var blob = Convert.FromBase64String(parts[1]);
        var offset = 0;
        var type = Encoding.ASCII.GetString(ReadString(blob, ref offset));
        if (type != parts[0]) throw new FormatException($"the key says {parts[0]} but its blob is {type}");
        switch (type)
        {
            case "ssh-ed25519":
                return Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
            case "ssh-rsa":
                var e = ReadString(blob, ref offset);
                var n = ReadString(blob, ref offset);
                using (var rsa = RSA.Create())
                {
                    rsa.ImportParameters(new RSAParameters { Exponent = TrimZero(e), Modulus = TrimZero(n) });
                    return string.Join(':', MD5.HashData(rsa.ExportSubjectPublicKeyInfo()).Select(b => b.ToString("x2")));
                }
            default:
                throw new FormatException($"EC2 imports ssh-ed25519 and ssh-rsa keys, not {type}");
        }
    }

    /// <summary>Whether two fingerprints (ours or EC2's) name the same key.</summary>
    public static bool Same(string a, string b) => Normal(a) == Normal(b);

    private static string Normal(string f)
    {
        var s = f.Trim();
        if (s.StartsWith("SHA256:", StringComparison.Ordinal)) s = s[7..];
        s = s.TrimEnd('=');
        return s.Contains(':') ? s.ToLowerInvariant() : s;
    }

    private static byte[] ReadString(byte[] blob, ref int offset)
    {
        if (offset + 4 > blob.Length) throw new FormatException("truncated OpenSSH key blob");
        var length = (blob[offset] << 24) | (blob[offset + 1] << 16) | (blob[offset + 2] << 8) | blob[offset + 3];
        offset += 4;
        if (length < 0 || offset + length > blob.Length) throw new FormatException("truncated OpenSSH key blob");
        var value = blob[offset..(offset + length)];
        offset += length;
        return value;
    }

    private static byte[] TrimZero(byte[] mpint) => mpint.Length > 1 && mpint[0] == 0 ? mpint[1..] : mpint;
}
