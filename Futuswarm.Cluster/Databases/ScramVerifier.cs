using System.Security.Cryptography;
using System.Text;

namespace Futuswarm.Cluster.Databases;

/// <summary>
/// A PostgreSQL SCRAM-SHA-256 verifier (RFC 5802/7677, as pg_authid stores it), computed here so a password never
/// travels to the server or into its log: <c>ALTER ROLE r PASSWORD 'SCRAM-SHA-256$4096:salt$StoredKey:ServerKey'</c>
/// is stored as given. Its characters are base64, digits, '$' and ':' only.
/// </summary>
public static class ScramVerifier
{
    public const int Iterations = 4096; // PostgreSQL's default scram_iterations
    private const int SaltSize = 16, KeySize = 32;

    /// <summary>The verifier of <paramref name="password"/> with a fresh salt. Only printable ASCII passwords:
    /// PostgreSQL SASLprep-normalises others, which this does not reproduce.</summary>
    public static string Compute(string password) => Compute(password, RandomNumberGenerator.GetBytes(SaltSize), Iterations);

    public static string Compute(string password, byte[] salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0 || password.Any(c => c is < '!' or > '~'))
            throw new ArgumentException("Only non-empty printable ASCII passwords without spaces are supported.", nameof(password));
        var passwordBytes = Encoding.ASCII.GetBytes(password);
        var salted = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, iterations, HashAlgorithmName.SHA256, KeySize);
        try
        {
            var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
            var storedKey = SHA256.HashData(clientKey);
            var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
            CryptographicOperations.ZeroMemory(clientKey);
            return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salted);
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>True when <paramref name="verifier"/> (as read from pg_authid) was made from <paramref name="password"/>.</summary>
    public static bool Matches(string verifier, string password)
    {
        var parts = verifier.Split('$');
        if (parts.Length != 3 || parts[0] != "SCRAM-SHA-256") return false;
        var head = parts[1].Split(':');
        if (head.Length != 2 || !int.TryParse(head[0], out var iterations) || iterations < 1) return false;
        try
        {
            var salt = Convert.FromBase64String(head[1]);
            var expected = Compute(password, salt, iterations);
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(verifier));
        }
        catch (FormatException) { return false; }
    }
}
