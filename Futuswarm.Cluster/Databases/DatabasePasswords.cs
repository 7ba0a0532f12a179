using System.Security.Cryptography;

namespace Futuswarm.Cluster.Databases;

/// <summary>Passwords the daemon and LocalCluster make: 256 random bits as base64url (43 characters of A-Z a-z 0-9 - _),
/// so they need no quoting in a connection string, a URL or SQL, and SCRAM needs no SASLprep.</summary>
public static class DatabasePasswords
{
    public static string New()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        try { return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'); }
        finally { CryptographicOperations.ZeroMemory(bytes); }
    }
}
