extern alias tasks;

using System.Text.Json;
using tasks::Futuswarm.Tasks;

namespace Futuswarm.Tests;

public sealed class SwarmStatusTests
{
    private const string Image = "localhost:5000/svc@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly MockBuildEngine _engine = new();

    private SwarmStatus Task(FakeSsh ssh) => new()
    {
        BuildEngine = _engine,
        SshPath = ssh.ScriptPath,
        Manager = "127.0.0.1:2299",
        User = "futuswarm",
        KnownHostsFile = "/tmp/fsw.known_hosts",
        HostKeyAlias = "futuswarm-local",
        IdentityFile = "/home/dev/.ssh/id_ed25519",
        ServiceName = "svc",
    };

    [Fact]
    public void StatusResult()
    {
        using var ssh = FakeSsh.Printing(
            $$"""{"type":"result","outcome":"status","service":"svc","release":3,"image":"{{Image}}","contentKey":"sha256:ck","url":"http://svc.localhost:8080/","state":"present","runningTasks":2,"desiredTasks":2}""");
        var task = Task(ssh);

        Assert.True(task.Execute(), _engine.Log);

        Assert.Equal("3", task.Release);
        Assert.Equal(Image, task.Image);
        Assert.Equal("sha256:ck", task.ContentKey);
        Assert.Equal("http://svc.localhost:8080/", task.Url);
        Assert.Contains(_engine.Messages, m => m.Message!.Contains("release 3") && m.Message.Contains("2/2 tasks running") && m.Message.Contains(Image));
    }

    [Fact]
    public void SendsAStatusRequest()
    {
        using var ssh = FakeSsh.Printing("""{"type":"result","outcome":"status","service":"svc","state":"absent"}""");
        Assert.True(Task(ssh).Execute(), _engine.Log);

        using var doc = JsonDocument.Parse(ssh.Stdin);
        Assert.Equal(2, doc.RootElement.GetProperty("protocol").GetInt32());
        Assert.Equal("svc", doc.RootElement.GetProperty("service").GetString());
        Assert.Equal(["protocol", "service"], doc.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var atManager = JsonSerializer.Deserialize<Futuswarm.Protocol.ServiceRequest>(ssh.Stdin, Futuswarm.Protocol.Wire.Json)!;
        Assert.Equal("svc", atManager.Service);
    }

    [Fact]
    public void RunsSshWithTheStatusVerbLast()
    {
        using var ssh = FakeSsh.Printing("""{"type":"result","outcome":"status","service":"svc"}""");
        Assert.True(Task(ssh).Execute(), _engine.Log);
        var argv = ssh.Argv;
        Assert.Contains("BatchMode=yes", argv);
        Assert.Contains("StrictHostKeyChecking=yes", argv);
        Assert.Contains("IdentitiesOnly=yes", argv);
        Assert.Equal("/home/dev/.ssh/id_ed25519", argv[Array.IndexOf(argv, "-i") + 1]);
        Assert.Equal(["--", "127.0.0.1", "status"], argv[^3..]);
    }

    [Fact]
    public void NeverDeployedService()
    {
        using var ssh = FakeSsh.Printing("""{"type":"result","outcome":"status","service":"svc","state":"absent","runningTasks":0}""");
        var task = Task(ssh);
        Assert.True(task.Execute(), _engine.Log);
        Assert.Equal("", task.Release);
        Assert.Equal("", task.Image);
        Assert.Contains(_engine.Messages, m => m.Message!.Contains("release none"));
    }

    [Fact]
    public void ErrorLine()
    {
        using var ssh = FakeSsh.Printing("""{"type":"error","code":"FSW2012","message":"No service svc."}""");
        Assert.False(Task(ssh).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW2012", error.Code);
        Assert.Contains("No service svc.", error.Message);
    }

    [Fact]
    public void ChangedHostKey()
    {
        using var ssh = new FakeSsh("echo '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @' >&2\necho 'Host key verification failed.' >&2\nexit 255");
        Assert.False(Task(ssh).Execute());
        Assert.Equal("FSW1002", _engine.SingleError().Code);
    }

    [Fact]
    public void Unreachable()
    {
        using var ssh = new FakeSsh("echo 'ssh: connect to host 127.0.0.1 port 2299: Connection refused' >&2\nexit 255");
        Assert.False(Task(ssh).Execute());
        Assert.Equal("FSW1004", _engine.SingleError().Code);
    }

    [Fact]
    public void NoResult()
    {
        using var ssh = new FakeSsh("exit 0");
        Assert.False(Task(ssh).Execute());
        Assert.Equal("FSW1007", _engine.SingleError().Code);
    }

    [Fact]
    public void NotTheProtocol()
    {
        using var ssh = FakeSsh.Printing("SSH-2.0-OpenSSH_9.2p1");
        Assert.False(Task(ssh).Execute());
        Assert.Equal("FSW1005", _engine.SingleError().Code);
    }
}
