using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Futuswarm.Cluster.Nodes.Ssh;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>Host keys learned from the EC2 console (cloud-init's SSH HOST KEY KEYS block) and matched on connect.</summary>
public class NodeHostKeyTests
{
    /// <summary>A well-formed public key blob with random key bytes (made at run time).</summary>
    static string Key(string type, int keyBytes = 32)
    {
        var name = Encoding.ASCII.GetBytes(type);
        var blob = new byte[4 + name.Length + 4 + keyBytes];
        BinaryPrimitives.WriteInt32BigEndian(blob, name.Length);
        name.CopyTo(blob, 4);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4 + name.Length), keyBytes);
        RandomNumberGenerator.Fill(blob.AsSpan(8 + name.Length));
        return $"{type} {Convert.ToBase64String(blob)}";
    }

    static string Console(string ecdsa, string ed25519, string prefix = "") => $"""
        [   10.112233] cloud-init[612]: Cloud-init v. 23.1 running 'modules:final'
        {prefix}#############################################################
        {prefix}-----BEGIN SSH HOST KEY FINGERPRINTS-----
        {prefix}256 SHA256:abcdefabcdefabcdefabcdefabcdefabcdefabcdefa root@ip-10-0-1-5 (ECDSA)
        {prefix}256 SHA256:0123456789012345678901234567890123456789012 root@ip-10-0-1-5 (ED25519)
        {prefix}-----END SSH HOST KEY FINGERPRINTS-----
        {prefix}#############################################################
        -----BEGIN SSH HOST KEY KEYS-----
        {ecdsa} root@ip-10-0-1-5
        {ed25519} root@ip-10-0-1-5
        -----END SSH HOST KEY KEYS-----
        [   11.2] cloud-init[612]: Cloud-init v. 23.1 finished at Wed, 25 Nov 2026 10:00:00 +0000. Up 11.20 seconds
        """;

    [Fact]
    public void ReadsEveryKeyOfTheBlockAndPrefersEd25519()
    {
        var (ecdsa, ed) = (Key("ecdsa-sha2-nistp256", 65), Key("ssh-ed25519"));
        var text = Console(ecdsa, ed, "ec2: ");
        Assert.Equal([ecdsa, ed], ConsoleHostKeys.Parse(text));
        Assert.Equal(ed, ConsoleHostKeys.Preferred(text, "i-0abc"));
        Assert.Equal(ed, ConsoleHostKeys.Preferred(text.Replace("\n", "\r\n"), "i-0abc")); // console output often has CRLF
    }

    [Fact]
    public void TheLastCompleteBlockWinsAndTornLinesAreDropped()
    {
        var (old, ed) = (Key("ssh-ed25519"), Key("ssh-ed25519"));
        var ecdsa = Key("ecdsa-sha2-nistp256", 65);
        var torn = ecdsa[..40]; // a line cut by the console buffer: base64 of the wrong shape
        var text = Console(Key("ecdsa-sha2-nistp256", 65), old) + "\n" + Console(torn, ed) +
            "\n-----BEGIN SSH HOST KEY KEYS-----\n" + Key("ssh-ed25519"); // a third block still being printed
        Assert.Equal([ed], ConsoleHostKeys.Parse(text));
    }

    [Fact]
    public void AKeyWhoseBlobNamesAnotherTypeIsDropped()
    {
        var ed = Key("ssh-ed25519");
        var liar = "ssh-rsa " + ed.Split(' ')[1];
        Assert.Equal([ed], ConsoleHostKeys.Parse(Console(liar, ed)));
    }

    [Fact]
    public void NoCompleteBlockIsFsw6052()
    {
        Assert.Null(ConsoleHostKeys.Parse("[ 1.0] booting\n-----BEGIN SSH HOST KEY KEYS-----\n" + Key("ssh-ed25519")));
        var e = Assert.Throws<FswException>(() => ConsoleHostKeys.Preferred("[ 1.0] booting", "i-0abc"));
        Assert.Equal(ErrorCodes.ConsoleHostKeysMissing, e.Code);
        Assert.Contains("i-0abc", e.Message);
    }

    [Fact]
    public void ExpectedKeyIsAFullKeyOrItsFingerprint()
    {
        var key = Key("ssh-ed25519");
        var blob = Convert.FromBase64String(key.Split(' ')[1]);
        var fp = Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
        Assert.True(ExpectedHostKey.Parse(key + " root@x").Matches(fp));
        Assert.True(ExpectedHostKey.Parse("SHA256:" + fp).Matches(fp));
        Assert.False(ExpectedHostKey.Parse(Key("ssh-ed25519")).Matches(fp));
        Assert.Equal("ssh-ed25519", ExpectedHostKey.Parse(key).KeyType);
        Assert.Throws<FormatException>(() => ExpectedHostKey.Parse("ssh-rsa " + key.Split(' ')[1]));
        Assert.Throws<FormatException>(() => ExpectedHostKey.Parse("SHA256:short"));
    }
}
