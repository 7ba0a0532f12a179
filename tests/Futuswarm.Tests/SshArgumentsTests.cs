extern alias tasks;

using Futuswarm.Protocol;
using tasks::Futuswarm.Tasks.Transport;

namespace Futuswarm.Tests;

public class SshArgumentsTests
{
    private static ManagerEndpoint Endpoint(string? identity = null) =>
        new("127.0.0.1", 2299, "futuswarm", "/home/dev/.futuswarm/clusters/local.known_hosts", "futuswarm-local", identity);

    /// <summary>The values given with -o, as "Key=value".</summary>
    private static List<string> Options(IReadOnlyList<string> args) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == "-o" && x.i + 1 < args.Count).Select(x => args[x.i + 1]).ToList();

    [Fact]
    public void HostKeyIsPinnedAndNothingIsAsked()
    {
        var o = Options(SshArguments.For(Endpoint(), "deploy"));
        Assert.Contains("BatchMode=yes", o);
        Assert.Contains("StrictHostKeyChecking=yes", o);
        Assert.Contains("UserKnownHostsFile=/home/dev/.futuswarm/clusters/local.known_hosts", o);
        Assert.Contains("GlobalKnownHostsFile=/dev/null", o);
        Assert.Contains("HostKeyAlias=futuswarm-local", o);
    }

    [Fact]
    public void NoTtyAndAConnectTimeout()
    {
        var args = SshArguments.For(Endpoint(), "deploy");
        Assert.Contains("-T", args);
        Assert.Contains(Options(args), o => o.StartsWith("ConnectTimeout=", StringComparison.Ordinal));
    }

    [Fact]
    public void PortAndUser()
    {
        var args = SshArguments.For(Endpoint(), "deploy").ToList();
        var p = args.IndexOf("-p");
        Assert.True(p >= 0, "-p missing");
        Assert.Equal("2299", args[p + 1]);
        var l = args.IndexOf("-l");
        Assert.True(l >= 0, "-l missing");
        Assert.Equal("futuswarm", args[l + 1]);
    }

    [Fact]
    public void NoIdentityOptionsWithoutAnIdentityFile()
    {
        var args = SshArguments.For(Endpoint(), "deploy");
        Assert.DoesNotContain("-i", args);
        Assert.DoesNotContain(Options(args), o => o.StartsWith("IdentitiesOnly", StringComparison.Ordinal));
    }

    [Fact]
    public void IdentityFileOnlyWhenGiven()
    {
        var args = SshArguments.For(Endpoint("/home/dev/.ssh/id_ed25519"), "deploy").ToList();
        Assert.Contains("IdentitiesOnly=yes", Options(args));
        var i = args.IndexOf("-i");
        Assert.True(i >= 0, "-i missing");
        Assert.Equal("/home/dev/.ssh/id_ed25519", args[i + 1]);
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("status")]
    public void HostAfterDoubleDashThenTheVerbLast(string verb)
    {
        var args = SshArguments.For(Endpoint("/k"), verb);
        Assert.Equal(verb, args[^1]);
        Assert.Equal("127.0.0.1", args[^2]);
        Assert.Equal("--", args[^3]);
        Assert.Single(args, a => a == "--");
    }

    [Fact]
    public void AHostThatLooksLikeAnOptionStaysAHost()
    {
        var e = Endpoint() with { Host = "-oProxyCommand=touch /tmp/pwned" };
        var args = SshArguments.For(e, "deploy").ToList();
        Assert.True(args.IndexOf("--") < args.IndexOf(e.Host), "the host must come after --");
    }

    [Theory]
    [InlineData("127.0.0.1:2222", "127.0.0.1", 2222)]
    [InlineData("manager.example.com:2200", "manager.example.com", 2200)]
    [InlineData("manager.example.com", "manager.example.com", 2222)]
    [InlineData("[::1]:2200", "::1", 2200)]
    [InlineData("[::1]", "::1", 2222)]
    public void ParseAddress(string address, string host, int port) => Assert.Equal((host, port), ManagerEndpoint.ParseAddress(address));
}

public class SshErrorClassifierTests
{
    // The classifier is the task assembly's: its endpoint type is the linked copy there.
    private static readonly tasks::Futuswarm.Protocol.ManagerEndpoint E = new("127.0.0.1", 2299, "futuswarm", "/tmp/k.known_hosts", "futuswarm-local", null);

    private const string ChangedKey =
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n" +
        "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n" +
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n" +
        "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\r\n" +
        "Someone could be eavesdropping on you right now (man-in-the-middle attack)!\r\n" +
        "It is also possible that a host key has just been changed.\r\n" +
        "The fingerprint for the ED25519 key sent by the remote host is\nSHA256:0123456789abcdefghijklmnopqrstuvwxyzABCDEFG.\r\n" +
        "Please contact your system administrator.\r\n" +
        "Add correct host key in /tmp/k.known_hosts to get rid of this message.\r\n" +
        "Offending ED25519 key in /tmp/k.known_hosts:1\r\n" +
        "Host key for futuswarm-local has changed and you have requested strict checking.\r\n" +
        "Host key verification failed.\r\n";

    [Theory]
    [InlineData("No ED25519 host key is known for futuswarm-local and you have requested strict checking.\r\nHost key verification failed.\r\n", "FSW1001")]
    [InlineData(ChangedKey, "FSW1002")]
    [InlineData("futuswarm@127.0.0.1: Permission denied (publickey).\r\n", "FSW1003")]
    [InlineData("ssh: connect to host 127.0.0.1 port 2299: Connection refused\r\n", "FSW1004")]
    [InlineData("ssh: Could not resolve hostname nowhere.invalid: Name or service not known\r\n", "FSW1004")]
    [InlineData("ssh: connect to host 10.255.255.1 port 2222: Connection timed out\r\n", "FSW1004")]
    [InlineData("ssh: connect to host 10.0.0.1 port 2222: No route to host\r\n", "FSW1004")]
    [InlineData("kex_exchange_identification: read: Connection reset by peer\r\n", "FSW1008")]
    [InlineData("", "FSW1008")]
    public void Classify(string stderr, string code) => Assert.Equal(code, SshErrorClassifier.Classify(stderr, E).Code);

    [Fact]
    public void UnreachableQuotesSsh()
    {
        var e = SshErrorClassifier.Classify("ssh: connect to host 127.0.0.1 port 2299: Connection refused\r\n", E);
        Assert.Contains("Connection refused", e.Message);
        Assert.Contains("127.0.0.1:2299", e.Message);
        Assert.DoesNotContain("\r", e.Message);
    }

    [Fact]
    public void OtherFailureQuotesTheLastLine()
    {
        var e = SshErrorClassifier.Classify("debug1: something\r\nkex_exchange_identification: read: Connection reset by peer\r\n", E);
        Assert.EndsWith("kex_exchange_identification: read: Connection reset by peer", e.Message);
    }

    [Fact]
    public void HostKeyMessagesNameTheAliasAndFile()
    {
        var unknown = SshErrorClassifier.Classify("No ED25519 host key is known for futuswarm-local and you have requested strict checking.\r\nHost key verification failed.", E);
        Assert.Contains("futuswarm-local", unknown.Message);
        Assert.Contains("/tmp/k.known_hosts", unknown.Message);
        Assert.Contains("SwarmHostKey", unknown.Message);
        var changed = SshErrorClassifier.Classify(ChangedKey, E);
        Assert.Contains("futuswarm-local", changed.Message);
    }

    [Fact]
    public void RefusedKeyNamesTheIdentityFileWhenGiven()
    {
        var e = SshErrorClassifier.Classify("futuswarm@127.0.0.1: Permission denied (publickey).", E with { IdentityFile = "/home/dev/.ssh/ci_key" });
        Assert.Equal("FSW1003", e.Code);
        Assert.Contains("/home/dev/.ssh/ci_key", e.Message);
    }
}
