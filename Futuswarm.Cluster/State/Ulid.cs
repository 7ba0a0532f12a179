using System.Security.Cryptography;

namespace Futuswarm.Cluster.State;

/// <summary>Time-ordered unique ids (ULID text form), so audit keys sort by time.</summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(DateTimeOffset now)
    {
        Span<char> s = stackalloc char[26];
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--) { s[i] = Alphabet[(int)(ms & 31)]; ms >>= 5; }
        Span<byte> r = stackalloc byte[16];
        RandomNumberGenerator.Fill(r);
        for (var i = 10; i < 26; i++) s[i] = Alphabet[r[i - 10] & 31];
        return new string(s);
    }
}
