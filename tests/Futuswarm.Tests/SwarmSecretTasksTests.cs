extern alias tasks;

using System.Text;
using System.Text.Json;
using Futuswarm.Protocol;
using Microsoft.Build.Framework;
using tasks::Futuswarm.Tasks;
using static Futuswarm.Tests.SwarmDeploySecretsTests;

namespace Futuswarm.Tests;

/// <summary>SwarmSecretSet, SwarmSecretList and SwarmSecretRemove: request bodies, outcomes, coded refusals before any ssh call.</summary>
public sealed class SwarmSecretTasksTests : IDisposable
{
    private const string Deployed = """{"type":"result","outcome":"deployed","service":"svc","release":5,"url":"http://svc.localhost:8080/"}""";
    private const string Stored = """{"type":"result","outcome":"stored","service":"svc"}""";
    private const string Unchanged = """{"type":"result","outcome":"unchanged","service":"svc","release":4}""";

    private readonly MockBuildEngine _engine = new();
    private readonly TempDirectory _project = new();
    private readonly string _variable = "FSW_UT_" + Guid.NewGuid().ToString("N");
    private readonly string _value = "whsec_" + Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        _project.Dispose();
    }

    private T Connected<T>(T task, FakeManager manager) where T : ManagerTask
    {
        task.BuildEngine = _engine;
        task.SshPath = manager.ScriptPath;
        task.Manager = "127.0.0.1:2299";
        task.User = "futuswarm";
        task.KnownHostsFile = "/tmp/fsw.known_hosts";
        task.HostKeyAlias = "futuswarm-local";
        task.ServiceName = "svc";
        return task;
    }

    private SwarmSecretSet Set(FakeManager manager, string names = "", string fromEnvironment = "", string fromFile = "", params ITaskItem[] declared) =>
        Connected(new SwarmSecretSet
        {
            SecretNames = names.Split(';', StringSplitOptions.RemoveEmptyEntries), FromEnvironment = fromEnvironment, FromFile = fromFile,
            Secrets = declared, ProjectDirectory = _project.Path, DeployTimeout = "90",
        }, manager);

    private static FakeManager Answering(string verb, string line) => new((verb, [line]));

    private void AssertHigh(params string[] parts) =>
        Assert.Contains(_engine.Messages, m => m.Importance == MessageImportance.High && parts.All(p => m.Message!.Contains(p)));

    // ---- SwarmSecretSet ----

    [Fact]
    public void Set_sends_the_value_on_stdin_only()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Answering("secret-set", Deployed);
        var task = Set(manager, "Stripe__ApiKey", fromEnvironment: _variable);

        Assert.True(task.Execute(), _engine.Log);

        Assert.Equal(["secret-set"], manager.Verbs);
        var request = manager.Request<SecretSetRequest>("secret-set");
        Assert.Equal((2, "svc", 90), (request.Protocol, request.Service, request.TimeoutSeconds));
        var secret = Assert.Single(request.Secrets);
        Assert.Equal("Stripe__ApiKey", secret.Name);
        Assert.Equal(_value, Encoding.UTF8.GetString(secret.Value!));
        Assert.Null(secret.Fingerprint);
        Assert.Equal(["protocol", "secrets", "service", "timeoutSeconds"],
            JsonDocument.Parse(manager.Stdin("secret-set")).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(_value, manager.AllArgs);
        Assert.DoesNotContain(_value, _engine.Log);
        Assert.Equal(("deployed", "5", "http://svc.localhost:8080/"), (task.Outcome, task.Release, task.Url));
        AssertHigh("svc: secret Stripe__ApiKey set", "release 5 deployed", "http://svc.localhost:8080/");
    }

    [Fact]
    public void Set_from_a_file_relative_to_the_project()
    {
        _project.File("secrets/signing.pem", "PEM " + _value);
        using var manager = Answering("secret-set", Stored);

        Assert.True(Set(manager, "signing.pem", fromFile: "secrets/signing.pem").Execute(), _engine.Log);

        Assert.Equal("PEM " + _value, Encoding.UTF8.GetString(Assert.Single(manager.Request<SecretSetRequest>("secret-set").Secrets).Value!));
        Assert.DoesNotContain(_value, _engine.Log);
        AssertHigh("secret signing.pem set", "stored", "next deploy");
    }

    [Fact]
    public void Set_unchanged_says_so()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Answering("secret-set", Unchanged);
        Assert.True(Set(manager, "A", fromEnvironment: _variable).Execute(), _engine.Log);
        AssertHigh("svc: secret A unchanged", "nothing to do");
    }

    [Fact]
    public void Set_a_declared_secret_by_name_uses_its_declared_source()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Answering("secret-set", Deployed);
        Assert.True(Set(manager, "A", declared: [Secret("A", fromEnvironment: _variable), Secret("B", fromFile: "b.txt")]).Execute(), _engine.Log);
        var secret = Assert.Single(manager.Request<SecretSetRequest>("secret-set").Secrets);
        Assert.Equal(("A", _value), (secret.Name, Encoding.UTF8.GetString(secret.Value!)));
    }

    [Fact]
    public void Set_without_a_name_sets_every_declared_secret_whose_source_is_here()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        _project.File("c.txt", "c value");
        using var manager = Answering("secret-set", Deployed);

        Assert.True(Set(manager, declared: [Secret("A", fromEnvironment: _variable), Secret("B", fromFile: "absent.txt"), Secret("C", fromFile: "c.txt")]).Execute(), _engine.Log);

        Assert.Equal(["A", "C"], manager.Request<SecretSetRequest>("secret-set").Secrets.Select(s => s.Name));
        AssertHigh("secret B skipped", "absent.txt");
        AssertHigh("secrets A, C set", "release 5 deployed");
    }

    [Fact]
    public void Set_without_a_name_and_no_declared_source_present_is_FSW0008()
    {
        using var manager = Answering("secret-set", Deployed);
        Assert.False(Set(manager, declared: [Secret("A", fromEnvironment: _variable)]).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW0008", error.Code);
        Assert.Contains(_variable, error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void Set_without_a_name_or_declared_secrets_is_FSW0009()
    {
        using var manager = Answering("secret-set", Deployed);
        Assert.False(Set(manager).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW0009", error.Code);
        Assert.Contains("SwarmSecretName", error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void Set_with_a_source_but_no_name_is_FSW0009()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Answering("secret-set", Deployed);
        Assert.False(Set(manager, fromEnvironment: _variable).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW0009", error.Code);
        Assert.Contains("SwarmSecretName", error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void Set_a_named_secret_whose_source_is_missing_is_FSW0008()
    {
        using var manager = Answering("secret-set", Deployed);
        Assert.False(Set(manager, "A", fromEnvironment: _variable).Execute());
        Assert.Equal("FSW0008", _engine.SingleError().Code);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void Set_a_name_that_is_not_declared_and_has_no_source_is_FSW0008()
    {
        using var manager = Answering("secret-set", Deployed);
        Assert.False(Set(manager, "Undeclared").Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW0008", error.Code);
        Assert.Contains("SwarmSecretFromEnvironment", error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Theory]
    [InlineData("bad/name", "env", "FSW2014")]
    [InlineData("", "both", "FSW0009")]
    [InlineData("A", "both", "FSW2014")]
    [InlineData("A", "empty-file", "FSW2015")]
    [InlineData("A", "big-file", "FSW2015")]
    public void Set_refuses_bad_input_before_any_ssh_call(string name, string source, string code)
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        _project.File("empty", "");
        File.WriteAllBytes(Path.Combine(_project.Path, "big"), new byte[Validation.MaxSecretBytes + 1]);
        using var manager = Answering("secret-set", Deployed);
        var task = source switch
        {
            "env" => Set(manager, name, fromEnvironment: _variable),
            "both" => Set(manager, name, fromEnvironment: _variable, fromFile: "empty"),
            "empty-file" => Set(manager, name, fromFile: "empty"),
            _ => Set(manager, name, fromFile: "big"),
        };
        Assert.False(task.Execute());
        Assert.Equal(code, _engine.SingleError().Code);
        Assert.Empty(manager.Verbs);
        Assert.DoesNotContain(_value, _engine.Log);
    }

    [Fact]
    public void Set_relays_a_coded_error_from_the_manager()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Answering("secret-set", """{"type":"error","code":"FSW3001","message":"svc belongs to someone else.","details":["owners: bob"]}""");
        Assert.False(Set(manager, "A", fromEnvironment: _variable).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW3001", error.Code);
        Assert.Contains("owners: bob", error.Message);
    }

    [Fact]
    public void Set_with_an_unknown_outcome_is_a_protocol_error()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Answering("secret-set", """{"type":"result","outcome":"teleported"}""");
        Assert.False(Set(manager, "A", fromEnvironment: _variable).Execute());
        Assert.Equal("FSW1005", _engine.SingleError().Code);
    }

    [Fact]
    public async System.Threading.Tasks.Task Ctrl_C_says_the_rollout_goes_on()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var ssh = new FakeSsh("sleep 10");
        var task = new SwarmSecretSet { SecretNames = ["A"], FromEnvironment = _variable, ProjectDirectory = _project.Path };
        task.BuildEngine = _engine;
        task.SshPath = ssh.ScriptPath;
        (task.Manager, task.User, task.KnownHostsFile, task.HostKeyAlias, task.ServiceName) = ("127.0.0.1:2299", "futuswarm", "/k", "a", "svc");
        var run = System.Threading.Tasks.Task.Run(task.Execute);
        await System.Threading.Tasks.Task.Delay(500);
        task.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(8));
        var warning = Assert.Single(_engine.Warnings);
        Assert.Equal("FSW1007", warning.Code);
        Assert.Contains("The rollout goes on on the manager", warning.Message);
    }

    // ---- SwarmSecretList ----

    [Fact]
    public void List_prints_names_versions_and_dates_never_values_or_the_key()
    {
        var key = Enumerable.Repeat((byte)7, 32).ToArray();
        using var manager = Answering("secret-list", Listed(key, Info("Stripe__ApiKey", "hmac-sha256:abcdef0123")));
        var task = Connected(new SwarmSecretList { Secrets = [Secret("Stripe__ApiKey", "X"), Secret("signing.pem", fromFile: "f")] }, manager);

        Assert.True(task.Execute(), _engine.Log);

        var request = manager.Request<ServiceRequest>("secret-list");
        Assert.Equal(("svc", 2), (request.Service, request.Protocol));
        AssertHigh("svc: Stripe__ApiKey", "01JTESTVERSION", "2026-01-02 03:04:05Z", "alice", "2 versions kept");
        AssertHigh("signing.pem", "not on the cluster yet");
        Assert.Equal(["Stripe__ApiKey"], task.Names);
        Assert.DoesNotContain("hmac-sha256", _engine.Log);
        Assert.DoesNotContain(Convert.ToBase64String(key), _engine.Log);
    }

    [Fact]
    public void List_of_a_service_without_secrets()
    {
        using var manager = Answering("secret-list", Listed(null));
        Assert.True(Connected(new SwarmSecretList(), manager).Execute(), _engine.Log);
        AssertHigh("svc: no secrets");
    }

    [Fact]
    public void List_of_an_unknown_service_is_the_managers_error()
    {
        using var manager = Answering("secret-list", """{"type":"error","code":"FSW2012","message":"No service svc."}""");
        Assert.False(Connected(new SwarmSecretList(), manager).Execute());
        Assert.Equal("FSW2012", _engine.SingleError().Code);
    }

    // ---- SwarmSecretRemove ----

    [Theory]
    [InlineData("A", new[] { "A" })]
    [InlineData("A;B", new[] { "A", "B" })]
    [InlineData("A,B", new[] { "A", "B" })]
    [InlineData(" A , A ;B", new[] { "A", "B" })]
    public void Remove_sends_the_names(string names, string[] expected)
    {
        using var manager = Answering("secret-remove", Deployed);
        var task = Connected(new SwarmSecretRemove { SecretNames = [names], DeployTimeout = "60" }, manager);

        Assert.True(task.Execute(), _engine.Log);

        var request = manager.Request<RemoveRequest>("secret-remove");
        Assert.Equal(expected, request.Names);
        Assert.Equal((2, "svc", 60), (request.Protocol, request.Service, request.TimeoutSeconds));
        AssertHigh($"{(expected.Length == 1 ? "secret " : "secrets ")}{string.Join(", ", expected)} removed", "release 5 deployed");
    }

    [Fact]
    public void Remove_stored_and_still_declared()
    {
        using var manager = Answering("secret-remove", Stored);
        var task = Connected(new SwarmSecretRemove { SecretNames = ["A"], Secrets = [Secret("A", "X")] }, manager);
        Assert.True(task.Execute(), _engine.Log);
        AssertHigh("secret A removed", "stored");
        Assert.Contains(_engine.Warnings, w => w.Message!.Contains("still a SwarmSecret"));
    }

    [Fact]
    public void Remove_without_a_name_is_FSW0009()
    {
        using var manager = Answering("secret-remove", Deployed);
        Assert.False(Connected(new SwarmSecretRemove(), manager).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW0009", error.Code);
        Assert.Contains("SwarmSecretName", error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void Remove_a_bad_name_is_FSW2014()
    {
        using var manager = Answering("secret-remove", Deployed);
        Assert.False(Connected(new SwarmSecretRemove { SecretNames = ["../etc"] }, manager).Execute());
        Assert.Equal("FSW2014", _engine.SingleError().Code);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void Remove_a_secret_the_service_does_not_have()
    {
        using var manager = Answering("secret-remove", """{"type":"error","code":"FSW2016","message":"Service svc has no secret 'A'; nothing was removed."}""");
        Assert.False(Connected(new SwarmSecretRemove { SecretNames = ["A"] }, manager).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW2016", error.Code);
        Assert.Contains("no secret 'A'", error.Message);
    }
}
