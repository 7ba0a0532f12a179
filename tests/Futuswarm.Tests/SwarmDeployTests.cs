extern alias tasks;

using System.Text.Json;
using Microsoft.Build.Framework;
using tasks::Futuswarm.Tasks;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Futuswarm.Tests;

public sealed class SwarmDeployTests
{
    private const string Image = "localhost:5000/svc@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Deployed = """{"type":"result","outcome":"deployed","service":"svc","release":3,"url":"http://svc.localhost:8080/"}""";

    private readonly MockBuildEngine _engine = new();

    private SwarmDeploy Task(FakeSsh ssh) => new()
    {
        BuildEngine = _engine,
        SshPath = ssh.ScriptPath,
        Manager = "127.0.0.1:2299",
        User = "futuswarm",
        KnownHostsFile = "/tmp/fsw.known_hosts",
        HostKeyAlias = "futuswarm-local",
        ServiceName = "svc",
        ContentKey = "sha256:ck",
        Image = "",
        Port = "8080",
        Replicas = "2",
        HealthCheckPath = "/health",
        DeployTimeout = "120",
        EnvironmentVariables = [Env("HELLO", "world"), Env("A", "1")],
    };

    private static TaskItem Env(string name, string value)
    {
        var item = new TaskItem(name);
        item.SetMetadata("Value", value);
        return item;
    }

    [Fact]
    public void DeployedResult()
    {
        using var ssh = FakeSsh.Printing("""{"type":"progress","message":"release 3: updating service svc"}""", Deployed);
        var task = Task(ssh);

        Assert.True(task.Execute(), _engine.Log);

        Assert.Empty(_engine.Errors);
        Assert.Equal("deployed", task.Outcome);
        Assert.Equal("http://svc.localhost:8080/", task.Url);
        Assert.Equal("3", task.Release);
        Assert.Contains(_engine.Messages, m => m.Message!.Contains("release 3: updating service svc") && m.Importance == MessageImportance.High);
        Assert.Contains(_engine.Messages, m => m.Message!.Contains("release 3 deployed") && m.Message.Contains("http://svc.localhost:8080/"));
    }

    [Fact]
    public void SendsTheRequestOnStdin()
    {
        using var ssh = FakeSsh.Printing(Deployed);
        var task = Task(ssh);
        Assert.True(task.Execute(), _engine.Log);

        using var doc = JsonDocument.Parse(ssh.Stdin);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("protocol").GetInt32());
        Assert.Equal("svc", root.GetProperty("service").GetString());
        Assert.True(!root.TryGetProperty("image", out var image) || image.ValueKind == JsonValueKind.Null, "image must be null when Image is empty");
        Assert.Equal("sha256:ck", root.GetProperty("contentKey").GetString());
        Assert.Equal(120, root.GetProperty("timeoutSeconds").GetInt32());
        var spec = root.GetProperty("spec");
        Assert.Equal(2, spec.GetProperty("replicas").GetInt32());
        Assert.Equal(8080, spec.GetProperty("port").GetInt32());
        Assert.Equal("/health", spec.GetProperty("healthCheckPath").GetString());
        var env = spec.GetProperty("environment").EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToList();
        Assert.Equal([("A", "1"), ("HELLO", "world")], env);

        // The manager side reads it with its strict options.
        var atManager = JsonSerializer.Deserialize<Futuswarm.Protocol.DeployRequest>(ssh.Stdin, Futuswarm.Protocol.Wire.Json)!;
        Assert.Equal("svc", atManager.Service);
    }

    [Fact]
    public void SendsTheImageWhenGiven()
    {
        using var ssh = FakeSsh.Printing(Deployed);
        var task = Task(ssh);
        task.Image = Image;
        Assert.True(task.Execute(), _engine.Log);
        using var doc = JsonDocument.Parse(ssh.Stdin);
        Assert.Equal(Image, doc.RootElement.GetProperty("image").GetString());
    }

    [Fact]
    public void PortNoneIsSentAsNoPort()
    {
        using var ssh = FakeSsh.Printing("""{"type":"result","outcome":"deployed","service":"svc","release":1}""");
        var task = Task(ssh);
        task.Port = "none";
        Assert.True(task.Execute(), _engine.Log);
        using var doc = JsonDocument.Parse(ssh.Stdin);
        var spec = doc.RootElement.GetProperty("spec");
        Assert.True(!spec.TryGetProperty("port", out var port) || port.ValueKind == JsonValueKind.Null, "spec.port must be null for 'none'");
        Assert.Equal("", task.Url);
    }

    [Fact]
    public void RunsSshNonInteractivelyWithTheVerbLast()
    {
        using var ssh = FakeSsh.Printing(Deployed);
        Assert.True(Task(ssh).Execute(), _engine.Log);
        var argv = ssh.Argv;
        Assert.Contains("BatchMode=yes", argv);
        Assert.Contains("StrictHostKeyChecking=yes", argv);
        Assert.Contains("UserKnownHostsFile=/tmp/fsw.known_hosts", argv);
        Assert.Contains("HostKeyAlias=futuswarm-local", argv);
        Assert.Equal(["--", "127.0.0.1", "deploy"], argv[^3..]);
        var p = Array.IndexOf(argv, "-p");
        Assert.Equal("2299", argv[p + 1]);
    }

    [Fact]
    public void ImageRequiredOutcome()
    {
        using var ssh = FakeSsh.Printing("""{"type":"result","outcome":"image-required","service":"svc"}""");
        var task = Task(ssh);
        Assert.True(task.Execute(), _engine.Log);
        Assert.Equal("image-required", task.Outcome);
    }

    [Fact]
    public void UnchangedOutcome()
    {
        using var ssh = FakeSsh.Printing("""{"type":"result","outcome":"unchanged","service":"svc","release":2,"url":"http://svc.localhost/"}""");
        var task = Task(ssh);
        Assert.True(task.Execute(), _engine.Log);
        Assert.Equal("unchanged", task.Outcome);
        Assert.Equal("2", task.Release);
        Assert.Contains(_engine.Messages, m => m.Message!.Contains("unchanged"));
    }

    [Fact]
    public void ResultFieldsFromANewerManagerAreIgnored()
    {
        using var ssh = FakeSsh.Printing("""{"type":"result","outcome":"deployed","release":4,"url":"http://svc.localhost/","newField":{"a":1}}""");
        var task = Task(ssh);
        Assert.True(task.Execute(), _engine.Log);
        Assert.Equal("4", task.Release);
    }

    [Fact]
    public void UnknownOutcomeIsAProtocolError()
    {
        using var ssh = FakeSsh.Printing("""{"type":"result","outcome":"teleported","service":"svc"}""");
        Assert.False(Task(ssh).Execute());
        Assert.Equal("FSW1005", _engine.SingleError().Code);
    }

    [Fact]
    public void CodedLogLineBecomesAWarning()
    {
        using var ssh = FakeSsh.Printing("""{"type":"log","code":"FSW4006","message":"edge reload slow"}""", Deployed);
        Assert.True(Task(ssh).Execute(), _engine.Log);
        var warning = Assert.Single(_engine.Warnings);
        Assert.Equal("FSW4006", warning.Code);
        Assert.Contains("edge reload slow", warning.Message);
    }

    [Fact]
    public void ErrorLineFailsWithItsCodeAndDetails()
    {
        using var ssh = FakeSsh.Printing(
            """{"type":"progress","message":"release 4: updating"}""",
            """{"type":"error","code":"FSW4001","message":"rolled back","details":["task x: failed","last log lines:"]}""");
        var task = Task(ssh);

        Assert.False(task.Execute());

        var error = _engine.SingleError();
        Assert.Equal("FSW4001", error.Code);
        Assert.Equal("test.csproj", error.File);
        Assert.Contains("rolled back", error.Message);
        Assert.Contains("task x: failed", error.Message);
        Assert.Contains("last log lines:", error.Message);
        Assert.Equal("", task.Outcome);
    }

    [Fact]
    public void OnlyTheFirstFinalLineCounts()
    {
        using var ssh = FakeSsh.Printing(
            """{"type":"error","code":"FSW3001","message":"not yours"}""",
            Deployed);
        Assert.False(Task(ssh).Execute());
        Assert.Equal("FSW3001", _engine.SingleError().Code);
    }

    [Fact]
    public void RefusedKey()
    {
        using var ssh = new FakeSsh("echo 'futuswarm@127.0.0.1: Permission denied (publickey).' >&2\nexit 255");
        Assert.False(Task(ssh).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW1003", error.Code);
        Assert.Contains("127.0.0.1:2299", error.Message);
    }

    [Fact]
    public void UnknownHostKey()
    {
        using var ssh = new FakeSsh("printf 'No ED25519 host key is known for futuswarm-local and you have requested strict checking.\\r\\nHost key verification failed.\\r\\n' >&2\nexit 255");
        Assert.False(Task(ssh).Execute());
        Assert.Equal("FSW1001", _engine.SingleError().Code);
    }

    [Fact]
    public void SshExitsBeforeReadingTheRequest()
    {
        // A script that does not read stdin at all: writing the request must not crash the task.
        using var ssh = new FakeSsh("echo 'ssh: connect to host 127.0.0.1 port 2299: Connection refused' >&2\nexit 255", readStdin: false);
        Assert.False(Task(ssh).Execute());
        Assert.Equal("FSW1004", _engine.SingleError().Code);
    }

    [Fact]
    public void NoOutputIsNoResult()
    {
        using var ssh = new FakeSsh("exit 0");
        Assert.False(Task(ssh).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW1007", error.Code);
        Assert.Contains("SwarmStatus", error.Message);
    }

    [Fact]
    public void ProgressButNoResultIsNoResult()
    {
        using var ssh = FakeSsh.Printing("""{"type":"progress","message":"working"}""");
        Assert.False(Task(ssh).Execute());
        Assert.Equal("FSW1007", _engine.SingleError().Code);
    }

    [Fact]
    public void NonJsonOutputIsAProtocolMismatch()
    {
        using var ssh = FakeSsh.Printing("Welcome to Ubuntu 24.04 LTS");
        Assert.False(Task(ssh).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW1005", error.Code);
        Assert.Contains("Welcome to Ubuntu", error.Message);
    }

    [Fact]
    public void DuplicateEnvironmentVariableDoesNotCrashTheTask()
    {
        using var ssh = FakeSsh.Printing(Deployed);
        var task = Task(ssh);
        task.EnvironmentVariables = [Env("HELLO", "a"), Env("HELLO", "b")];
        var thrown = Record.Exception(() => task.Execute());
        Assert.Null(thrown);
    }

    [Fact]
    public void MissingSshProgram()
    {
        using var dir = new TempDirectory();
        var task = new SwarmDeploy
        {
            BuildEngine = _engine, SshPath = Path.Combine(dir.Path, "no-such-ssh"), Manager = "127.0.0.1", User = "u", KnownHostsFile = "/k",
            HostKeyAlias = "a", ServiceName = "svc", ContentKey = "k",
        };
        Assert.False(task.Execute());
        Assert.Equal("FSW1006", _engine.SingleError().Code);
    }

    // ---- SwarmDatabase ----

    [Theory]
    [InlineData("postgres")]
    [InlineData("Postgres")]
    public void DatabaseGoesIntoTheSpec(string database)
    {
        using var ssh = FakeSsh.Printing(Deployed);
        var task = Task(ssh);
        task.Database = database;
        Assert.True(task.Execute(), _engine.Log);
        var atManager = JsonSerializer.Deserialize<Futuswarm.Protocol.DeployRequest>(ssh.Stdin, Futuswarm.Protocol.Wire.Json)!;
        Assert.Equal("postgres", atManager.Spec.Database);
    }

    [Fact]
    public void NoDatabaseIsLeftOutOfTheSpec()
    {
        using var ssh = FakeSsh.Printing(Deployed);
        Assert.True(Task(ssh).Execute(), _engine.Log);
        using var doc = JsonDocument.Parse(ssh.Stdin);
        Assert.False(doc.RootElement.GetProperty("spec").TryGetProperty("database", out _), "spec.database must be absent without SwarmDatabase");
        Assert.Null(JsonSerializer.Deserialize<Futuswarm.Protocol.DeployRequest>(ssh.Stdin, Futuswarm.Protocol.Wire.Json)!.Spec.Database);
    }

    [Fact]
    public void UnknownDatabaseIsFSW2017BeforeAnySshCall()
    {
        using var ssh = FakeSsh.Printing(Deployed);
        var task = Task(ssh);
        task.Database = "mongodb";
        Assert.False(task.Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW2017", error.Code);
        Assert.Contains("postgres", error.Message);
        Assert.False(File.Exists(ssh.ArgvFile), "ssh must not be called");
    }

    [Theory]
    [InlineData("ConnectionStrings__Default")]
    [InlineData("DATABASE_URL")]
    public void ASecretTheClusterSetsFromTheDatabaseIsFSW2014BeforeAnySshCall(string name)
    {
        using var ssh = FakeSsh.Printing(Deployed);
        var task = Task(ssh);
        task.Database = "postgres";
        task.Secrets = [SwarmDeploySecretsTests.Secret(name, fromEnvironment: "FSW_UT_NOT_SET_ANYWHERE")];
        Assert.False(task.Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW2014", error.Code);
        Assert.Contains(name, error.Message);
        Assert.False(File.Exists(ssh.ArgvFile), "ssh must not be called");
    }
}
