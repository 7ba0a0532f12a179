extern alias tasks;

using System.Text;
using System.Text.Json;
using Futuswarm.Protocol;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Futuswarm.Tests;

/// <summary>SwarmDeploy with SwarmSecret items: one secret-list, then a deploy that carries only what changed.</summary>
public sealed class SwarmDeploySecretsTests : IDisposable
{
    private const string Deployed = """{"type":"result","outcome":"deployed","service":"svc","release":3,"url":"http://svc.localhost:8080/"}""";
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly MockBuildEngine _engine = new();
    private readonly TempDirectory _project = new();
    private readonly string _variable = "FSW_UT_" + Guid.NewGuid().ToString("N");
    private readonly string _value = "sk_live_" + Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        _project.Dispose();
    }

    private tasks::Futuswarm.Tasks.SwarmDeploy Task(FakeManager manager, params ITaskItem[] secrets) => new()
    {
        BuildEngine = _engine,
        SshPath = manager.ScriptPath,
        Manager = "127.0.0.1:2299",
        User = "futuswarm",
        KnownHostsFile = "/tmp/fsw.known_hosts",
        HostKeyAlias = "futuswarm-local",
        ServiceName = "svc",
        ContentKey = "sha256:ck",
        Port = "8080",
        DeployTimeout = "120",
        Secrets = secrets,
        ProjectDirectory = _project.Path,
    };

    internal static TaskItem Secret(string name, string? fromEnvironment = null, string? fromFile = null)
    {
        var item = new TaskItem(name);
        if (fromEnvironment is not null) item.SetMetadata("FromEnvironment", fromEnvironment);
        if (fromFile is not null) item.SetMetadata("FromFile", fromFile);
        return item;
    }

    internal static string Listed(byte[]? key, params SecretInfo[] secrets) => JsonSerializer.Serialize(
        new ResponseLine { Type = "result", Outcome = "listed", Service = "svc", Secrets = secrets, FingerprintKey = key }, Wire.Json);

    internal static SecretInfo Info(string name, string fingerprint) => new()
    {
        Name = name, Version = "01JTESTVERSION", SetAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), SetBy = "alice",
        Fingerprint = fingerprint, Versions = 2,
    };

    private static string Fingerprint(string value) => SecretFingerprint.Compute(Key, Encoding.UTF8.GetBytes(value));

    private FakeManager Manager(string listAnswer, string deployAnswer = Deployed) =>
        new(("secret-list", [listAnswer]), ("deploy", [deployAnswer]));

    private SecretInput SentSecret(FakeManager manager, string name) =>
        Assert.Single(manager.Request<DeployRequest>("deploy").Secrets, s => s.Name == name);

    /// <summary>The value never shows in an ssh argument or in anything the task logged.</summary>
    private void AssertValueNowhereButStdin(FakeManager manager, string value)
    {
        Assert.DoesNotContain(value, manager.AllArgs);
        Assert.DoesNotContain(value, _engine.Log);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(value)), _engine.Log);
    }

    [Fact]
    public void Without_secrets_there_is_no_extra_round_trip()
    {
        using var manager = Manager(Listed(Key));
        Assert.True(Task(manager).Execute(), _engine.Log);
        Assert.Equal(["deploy"], manager.Verbs);
        Assert.Empty(manager.Request<DeployRequest>("deploy").Secrets);
    }

    [Fact]
    public void A_new_secret_is_sent_with_its_value_after_a_secret_list()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Manager(Listed(Key));

        Assert.True(Task(manager, Secret("Stripe__ApiKey", fromEnvironment: _variable)).Execute(), _engine.Log);

        Assert.Equal(["secret-list", "deploy"], manager.Verbs);
        var list = manager.Request<ServiceRequest>("secret-list");
        Assert.Equal(("svc", 2), (list.Service, list.Protocol));
        Assert.Equal(["protocol", "service"], JsonDocument.Parse(manager.Stdin("secret-list")).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var sent = SentSecret(manager, "Stripe__ApiKey");
        Assert.Equal(_value, Encoding.UTF8.GetString(sent.Value!));
        Assert.Null(sent.Fingerprint);
        Assert.Contains(_engine.Messages, m => m.Importance == MessageImportance.High && m.Message!.Contains("Stripe__ApiKey") && m.Message.Contains("new or changed"));
        AssertValueNowhereButStdin(manager, _value);
    }

    [Fact]
    public void An_unchanged_secret_is_sent_as_its_fingerprint_only()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Manager(Listed(Key, Info("Stripe__ApiKey", Fingerprint(_value))));

        Assert.True(Task(manager, Secret("Stripe__ApiKey", fromEnvironment: _variable)).Execute(), _engine.Log);

        var sent = SentSecret(manager, "Stripe__ApiKey");
        Assert.Null(sent.Value);
        Assert.Equal(Fingerprint(_value), sent.Fingerprint);
        Assert.DoesNotContain(_value, manager.Stdin("deploy"));
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(_value)), manager.Stdin("deploy"));
        AssertValueNowhereButStdin(manager, _value);
    }

    [Fact]
    public void A_changed_secret_is_sent_with_its_value()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Manager(Listed(Key, Info("Stripe__ApiKey", Fingerprint("the old value"))));

        Assert.True(Task(manager, Secret("Stripe__ApiKey", fromEnvironment: _variable)).Execute(), _engine.Log);

        var sent = SentSecret(manager, "Stripe__ApiKey");
        Assert.Equal(_value, Encoding.UTF8.GetString(sent.Value!));
        AssertValueNowhereButStdin(manager, _value);
    }

    [Fact]
    public void Without_a_fingerprint_key_every_value_is_sent()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Manager(Listed(key: null, Info("Stripe__ApiKey", Fingerprint(_value))));
        Assert.True(Task(manager, Secret("Stripe__ApiKey", fromEnvironment: _variable)).Execute(), _engine.Log);
        Assert.NotNull(SentSecret(manager, "Stripe__ApiKey").Value);
    }

    [Fact]
    public void A_file_secret_is_read_relative_to_the_project()
    {
        var pem = $"-----BEGIN {"PRIVATE"} KEY-----\n{Guid.NewGuid()}\n-----END {"PRIVATE"} KEY-----\n";
        _project.File("secrets/signing.pem", pem);
        using var manager = Manager(Listed(Key));

        Assert.True(Task(manager, Secret("signing.pem", fromFile: "secrets/signing.pem")).Execute(), _engine.Log);

        Assert.Equal(pem, Encoding.UTF8.GetString(SentSecret(manager, "signing.pem").Value!));
        AssertValueNowhereButStdin(manager, pem);
    }

    [Fact]
    public void A_missing_source_keeps_the_clusters_version()
    {
        using var manager = Manager(Listed(Key, Info("Stripe__ApiKey", Fingerprint("on the cluster"))));

        Assert.True(Task(manager, Secret("Stripe__ApiKey", fromEnvironment: _variable)).Execute(), _engine.Log);

        var sent = SentSecret(manager, "Stripe__ApiKey");
        Assert.Null(sent.Value);
        Assert.Null(sent.Fingerprint);
        Assert.Contains(_engine.Messages, m => m.Importance == MessageImportance.High
            && m.Message!.Contains("Stripe__ApiKey") && m.Message.Contains(_variable) && m.Message.Contains("is kept") && m.Message.Contains("alice"));
    }

    [Fact]
    public void A_missing_source_with_nothing_on_the_cluster_is_FSW0008_before_the_deploy()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Manager(Listed(Key, Info("Other", Fingerprint("x"))));

        Assert.False(Task(manager, Secret("Stripe__ApiKey", fromFile: "secrets/absent"), Secret("Other", fromEnvironment: _variable)).Execute());

        var error = _engine.SingleError();
        Assert.Equal("FSW0008", error.Code);
        Assert.Contains("Stripe__ApiKey", error.Message);
        Assert.Contains("secrets/absent", error.Message);
        Assert.Contains("SwarmSecretSet", error.Message);
        Assert.Equal(["secret-list"], manager.Verbs);
    }

    [Fact]
    public void A_service_the_cluster_does_not_know_gets_every_value()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        _project.File("key.txt", "file value");
        using var manager = Manager("""{"type":"error","code":"FSW2012","message":"No service svc."}""");

        Assert.True(Task(manager, Secret("A", fromEnvironment: _variable), Secret("B", fromFile: "key.txt")).Execute(), _engine.Log);

        Assert.Empty(_engine.Errors);
        Assert.Equal(["secret-list", "deploy"], manager.Verbs);
        Assert.Equal(_value, Encoding.UTF8.GetString(SentSecret(manager, "A").Value!));
        Assert.Equal("file value", Encoding.UTF8.GetString(SentSecret(manager, "B").Value!));
    }

    [Fact]
    public void A_service_the_cluster_does_not_know_with_a_missing_source_is_FSW0008()
    {
        using var manager = Manager("""{"type":"error","code":"FSW2012","message":"No service svc."}""");
        Assert.False(Task(manager, Secret("A", fromEnvironment: _variable)).Execute());
        Assert.Equal("FSW0008", _engine.SingleError().Code);
        Assert.Equal(["secret-list"], manager.Verbs);
    }

    [Fact]
    public void Another_error_from_secret_list_stops_the_deploy()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Manager("""{"type":"error","code":"FSW3001","message":"svc belongs to someone else."}""");
        Assert.False(Task(manager, Secret("A", fromEnvironment: _variable)).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW3001", error.Code);
        Assert.Contains("someone else", error.Message);
        Assert.Equal(["secret-list"], manager.Verbs);
    }

    [Fact]
    public void A_concurrent_change_reported_by_the_deploy_is_its_coded_error()
    {
        Environment.SetEnvironmentVariable(_variable, _value);
        using var manager = Manager(Listed(Key, Info("A", Fingerprint(_value))),
            """{"type":"error","code":"FSW4005","message":"Secret 'A' of svc changed on the cluster while this deploy ran. Deploy again."}""");
        Assert.False(Task(manager, Secret("A", fromEnvironment: _variable)).Execute());
        Assert.Equal("FSW4005", _engine.SingleError().Code);
    }

    public static TheoryData<string, string> BadDeclarations => new()
    {
        { "bad/name|env=X", "FSW2014" },
        { ".hidden|env=X", "FSW2014" },
        { "A|env=X;file=f", "FSW2014" },
        { "A|", "FSW2014" },
        { "A|env=not a name", "FSW2014" },
        { "A|env=X,A|file=f", "FSW2014" },
    };

    [Theory]
    [MemberData(nameof(BadDeclarations))]
    public void Bad_declarations_are_refused_before_any_ssh_call(string declarations, string code)
    {
        using var manager = Manager(Listed(Key));
        var items = declarations.Split(',').Select(d =>
        {
            var (name, sources) = (d.Split('|')[0], d.Split('|')[1].Split(';', StringSplitOptions.RemoveEmptyEntries).ToDictionary(s => s.Split('=')[0], s => s.Split('=')[1]));
            return Secret(name, sources.GetValueOrDefault("env"), sources.GetValueOrDefault("file"));
        }).ToArray();

        Assert.False(Task(manager, items).Execute());

        Assert.Equal(code, _engine.SingleError().Code);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void A_variable_set_but_empty_is_FSW2015_before_any_ssh_call()
    {
        Environment.SetEnvironmentVariable(_variable, "");
        if (Environment.GetEnvironmentVariable(_variable) is null) return; // Windows cannot hold an empty variable
        using var manager = Manager(Listed(Key));
        Assert.False(Task(manager, Secret("A", fromEnvironment: _variable)).Execute());
        Assert.Equal("FSW2015", _engine.SingleError().Code);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void An_empty_file_is_FSW2015_before_any_ssh_call()
    {
        _project.File("empty", "");
        using var manager = Manager(Listed(Key));
        Assert.False(Task(manager, Secret("A", fromFile: "empty")).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW2015", error.Code);
        Assert.Contains("empty", error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void An_oversized_value_is_FSW2015_without_the_value_in_the_message()
    {
        // From a file: an environment variable this large would reach every process the test run starts meanwhile,
        // and Linux refuses to start them (E2BIG), making other tests fail.
        _project.File("big.txt", "x" + new string('y', Validation.MaxSecretBytes));
        using var manager = Manager(Listed(Key));
        Assert.False(Task(manager, Secret("A", fromFile: "big.txt")).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW2015", error.Code);
        Assert.Contains("500 KB", error.Message);
        Assert.DoesNotContain("yyyy", error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void A_value_written_as_a_property_instead_of_a_variable_name_is_refused_without_echoing_it()
    {
        // FromEnvironment="$(VAR)" hands the task the value itself; it must not be repeated in the error.
        var looksLikeAName = "sk_live_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(_variable, looksLikeAName);
        using var manager = Manager(Listed(Key));
        Assert.False(Task(manager, Secret("A", fromEnvironment: looksLikeAName)).Execute());
        Assert.Equal("FSW2014", _engine.SingleError().Code);
        Assert.DoesNotContain(looksLikeAName, _engine.Log);
        Assert.Empty(manager.Verbs);
    }
}
