extern alias tasks;

using System.Text.Json;
using Futuswarm.Protocol;
using Microsoft.Build.Framework;
using tasks::Futuswarm.Tasks;
using DatabaseOption = tasks::Futuswarm.Tasks.Databases.DatabaseOption;

namespace Futuswarm.Tests;

/// <summary>
/// SwarmDatabaseInfo, SwarmDatabaseRotatePassword, SwarmDatabaseDrop and SwarmDatabaseBackup: request bodies as the
/// manager reads them, outcomes in the log, FSW2018 before any ssh call; and SwarmSecretSet's refusal of the two
/// secrets the cluster sets from a database.
/// </summary>
public sealed class SwarmDatabaseTasksTests : IDisposable
{
    private static readonly DateTimeOffset PasswordSetAt = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private readonly MockBuildEngine _engine = new();
    private readonly string _variable = "FSW_UT_" + Guid.NewGuid().ToString("N");

    public void Dispose() => Environment.SetEnvironmentVariable(_variable, null);

    internal static string InfoAnswer(string service = "svc") => JsonSerializer.Serialize(new ResponseLine
    {
        Type = "result",
        Outcome = "listed",
        Service = service,
        Database = new DatabaseInfo
        {
            Kind = "postgres", Name = service, Owner = service + "_owner", LoginRoles = [service + "_login_a", service + "_login_b"],
            ActiveRole = service + "_login_b", SizeBytes = 8_503_000, PasswordSetAt = PasswordSetAt,
        },
    }, Wire.Json);

    internal const string Rotated = """{"type":"result","outcome":"deployed","service":"svc","release":7,"url":"http://svc.localhost:8080/","message":"now using login role svc_login_a"}""";
    internal const string Dropped = """{"type":"result","outcome":"dropped","service":"svc"}""";

    internal static string BackedUp(string service = "svc") => JsonSerializer.Serialize(new ResponseLine
    {
        Type = "result",
        Outcome = "backed-up",
        Service = service,
        Backup = new BackupInfo { Key = $"backups/{service}/db/20260304T050607Z.dump", SizeBytes = 1_572_864, At = PasswordSetAt },
    }, Wire.Json);

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

    private static FakeManager Answering(string verb, params string[] lines) => new((verb, lines));

    private void AssertHigh(params string[] parts) =>
        Assert.True(_engine.Messages.Any(m => m.Importance == MessageImportance.High && parts.All(p => m.Message!.Contains(p))),
            $"no high-importance message with all of [{string.Join(" | ", parts)}] in:\n{_engine.Log}");

    private static string[] Fields(FakeManager manager, string verb) =>
        JsonDocument.Parse(manager.Stdin(verb)).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    // ---- SwarmDatabaseInfo ----

    [Fact]
    public void Info_sends_the_service_and_prints_name_size_and_roles()
    {
        using var manager = Answering("database-info", InfoAnswer());
        var task = Connected(new SwarmDatabaseInfo(), manager);

        Assert.True(task.Execute(), _engine.Log);

        Assert.Equal(["database-info"], manager.Verbs);
        var request = manager.Request<ServiceRequest>("database-info");
        Assert.Equal((2, "svc"), (request.Protocol, request.Service));
        Assert.Equal(["protocol", "service"], Fields(manager, "database-info"));
        AssertHigh("svc: postgres database svc", "8.1 MB", "svc_owner");
        AssertHigh("svc: login roles svc_login_a, svc_login_b (active)", "password set 2026-03-04 05:06:07Z");
        Assert.Equal(("svc", "svc_login_b", "8503000"), (task.DatabaseName, task.ActiveRole, task.SizeBytes));
    }

    [Fact]
    public void Info_never_prints_a_password_even_from_a_manager_that_sends_one()
    {
        var answer = InfoAnswer().Replace("\"activeRole\"", "\"password\":\"hunter2-not-for-logs\",\"activeRole\"", StringComparison.Ordinal);
        Assert.Contains("hunter2", answer);
        using var manager = Answering("database-info", answer);
        Assert.True(Connected(new SwarmDatabaseInfo(), manager).Execute(), _engine.Log);
        Assert.DoesNotContain("hunter2", _engine.Log);
    }

    [Fact]
    public void Info_of_a_service_without_a_database_is_the_managers_FSW2019()
    {
        using var manager = Answering("database-info", """{"type":"error","code":"FSW2019","message":"svc has no database"}""");
        Assert.False(Connected(new SwarmDatabaseInfo(), manager).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW2019", error.Code);
        Assert.Contains("svc has no database", error.Message);
    }

    [Fact]
    public void Info_answer_without_a_database_is_a_protocol_error()
    {
        using var manager = Answering("database-info", """{"type":"result","outcome":"listed","service":"svc"}""");
        Assert.False(Connected(new SwarmDatabaseInfo(), manager).Execute());
        Assert.Equal("FSW1005", _engine.SingleError().Code);
    }

    // ---- SwarmDatabaseRotatePassword ----

    [Fact]
    public void Rotate_sends_the_timeout_relays_progress_and_prints_the_release_and_role()
    {
        using var manager = Answering("database-rotate", """{"type":"progress","message":"release 7: updating service svc"}""", Rotated);
        var task = Connected(new SwarmDatabaseRotatePassword { DeployTimeout = "90" }, manager);

        Assert.True(task.Execute(), _engine.Log);

        var request = manager.Request<DatabaseRotateRequest>("database-rotate");
        Assert.Equal((2, "svc", 90), (request.Protocol, request.Service, request.TimeoutSeconds));
        Assert.Equal(["protocol", "service", "timeoutSeconds"], Fields(manager, "database-rotate"));
        AssertHigh("svc: release 7: updating service svc");
        AssertHigh("svc: database password rotated", "release 7 deployed", "http://svc.localhost:8080/", "now using login role svc_login_a");
        Assert.Equal(("deployed", "7", "http://svc.localhost:8080/"), (task.Outcome, task.Release, task.Url));
    }

    [Fact]
    public void Rotate_without_a_message_prints_the_release()
    {
        using var manager = Answering("database-rotate", """{"type":"result","outcome":"deployed","service":"svc","release":8}""");
        Assert.True(Connected(new SwarmDatabaseRotatePassword(), manager).Execute(), _engine.Log);
        AssertHigh("svc: database password rotated; release 8 deployed");
    }

    [Fact]
    public void Rotate_of_a_service_that_does_not_run_is_stored_for_its_next_deploy()
    {
        using var manager = Answering("database-rotate", """{"type":"result","outcome":"stored","service":"svc"}""");
        var task = Connected(new SwarmDatabaseRotatePassword(), manager);
        Assert.True(task.Execute(), _engine.Log);
        AssertHigh("svc: database password rotated (stored)", "next deploy");
        Assert.Equal("stored", task.Outcome);
    }

    [Fact]
    public void Rotate_with_a_bad_timeout_is_FSW2006_before_any_ssh_call()
    {
        using var manager = Answering("database-rotate", Rotated);
        Assert.False(Connected(new SwarmDatabaseRotatePassword { DeployTimeout = "soon" }, manager).Execute());
        Assert.Equal("FSW2006", _engine.SingleError().Code);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void Rotate_with_an_unknown_outcome_is_a_protocol_error()
    {
        using var manager = Answering("database-rotate", """{"type":"result","outcome":"teleported"}""");
        Assert.False(Connected(new SwarmDatabaseRotatePassword(), manager).Execute());
        Assert.Equal("FSW1005", _engine.SingleError().Code);
    }

    [Fact]
    public async System.Threading.Tasks.Task Rotate_Ctrl_C_says_the_rollout_goes_on()
    {
        using var ssh = new FakeSsh("sleep 10");
        var task = new SwarmDatabaseRotatePassword { BuildEngine = _engine, SshPath = ssh.ScriptPath };
        (task.Manager, task.User, task.KnownHostsFile, task.HostKeyAlias, task.ServiceName) = ("127.0.0.1:2299", "futuswarm", "/k", "a", "svc");
        var run = System.Threading.Tasks.Task.Run(task.Execute);
        await System.Threading.Tasks.Task.Delay(500);
        task.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(8));
        var warning = Assert.Single(_engine.Warnings);
        Assert.Equal("FSW1007", warning.Code);
        Assert.Contains("The rollout goes on on the manager", warning.Message);
        Assert.Empty(_engine.Errors);
    }

    // ---- SwarmDatabaseDrop ----

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("other")]
    [InlineData("SVC")]
    public void Drop_without_the_service_name_confirmed_is_FSW2018_before_any_ssh_call(string confirm)
    {
        using var manager = Answering("database-drop", Dropped);
        Assert.False(Connected(new SwarmDatabaseDrop { Confirm = confirm }, manager).Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW2018", error.Code);
        Assert.Contains("-p:SwarmConfirm=svc", error.Message);
        Assert.Contains("Nothing was dropped", error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void Drop_with_the_name_confirmed_sends_it_and_prints_dropped()
    {
        using var manager = Answering("database-drop", Dropped);
        var task = Connected(new SwarmDatabaseDrop { Confirm = "svc" }, manager);

        Assert.True(task.Execute(), _engine.Log);

        var request = manager.Request<DatabaseDropRequest>("database-drop");
        Assert.Equal((2, "svc", "svc"), (request.Protocol, request.Service, request.Confirm));
        Assert.Equal(["confirm", "protocol", "service"], Fields(manager, "database-drop"));
        AssertHigh("svc: database dropped");
        Assert.Equal("dropped", task.Outcome);
    }

    [Fact]
    public void Drop_refused_by_the_manager_fails_with_its_code()
    {
        using var manager = Answering("database-drop", """{"type":"error","code":"FSW3001","message":"svc is owned by alice"}""");
        Assert.False(Connected(new SwarmDatabaseDrop { Confirm = "svc" }, manager).Execute());
        Assert.Equal("FSW3001", _engine.SingleError().Code);
    }

    [Fact]
    public void Drop_with_an_unknown_outcome_is_a_protocol_error()
    {
        using var manager = Answering("database-drop", """{"type":"result","outcome":"deployed","release":3}""");
        Assert.False(Connected(new SwarmDatabaseDrop { Confirm = "svc" }, manager).Execute());
        Assert.Equal("FSW1005", _engine.SingleError().Code);
    }

    // ---- SwarmDatabaseBackup ----

    [Fact]
    public void Backup_prints_the_key_and_size_and_outputs_the_key()
    {
        using var manager = Answering("database-backup", """{"type":"progress","message":"pg_dump svc"}""", BackedUp());
        var task = Connected(new SwarmDatabaseBackup(), manager);

        Assert.True(task.Execute(), _engine.Log);

        var request = manager.Request<ServiceRequest>("database-backup");
        Assert.Equal((2, "svc"), (request.Protocol, request.Service));
        Assert.Equal(["protocol", "service"], Fields(manager, "database-backup"));
        AssertHigh("svc: pg_dump svc");
        AssertHigh("svc: database backed up at 2026-03-04 05:06:07Z", "backups/svc/db/20260304T050607Z.dump", "1.5 MB");
        Assert.Equal(("backups/svc/db/20260304T050607Z.dump", "1572864"), (task.BackupKey, task.SizeBytes));
    }

    [Fact]
    public void Backup_failure_is_the_managers_code()
    {
        using var manager = Answering("database-backup", """{"type":"error","code":"FSW5012","message":"pg_dump exited 1"}""");
        var task = Connected(new SwarmDatabaseBackup(), manager);
        Assert.False(task.Execute());
        Assert.Equal("FSW5012", _engine.SingleError().Code);
        Assert.Equal("", task.BackupKey);
    }

    [Theory]
    [InlineData("""{"type":"result","outcome":"backed-up","service":"svc"}""")]
    [InlineData("""{"type":"result","outcome":"stored","service":"svc"}""")]
    public void Backup_answer_without_a_backup_is_a_protocol_error(string answer)
    {
        using var manager = Answering("database-backup", answer);
        Assert.False(Connected(new SwarmDatabaseBackup(), manager).Execute());
        Assert.Equal("FSW1005", _engine.SingleError().Code);
    }

    // ---- SwarmSecretSet with a database ----

    [Theory]
    [InlineData("DATABASE_URL")]
    [InlineData("ConnectionStrings__Default")]
    public void SecretSet_of_a_name_the_cluster_sets_from_the_database_is_FSW2014_before_any_ssh_call(string name)
    {
        Environment.SetEnvironmentVariable(_variable, "postgres://someone:else@db/x");
        using var manager = Answering("secret-set", Rotated);
        var task = Connected(new SwarmSecretSet { SecretNames = [name], FromEnvironment = _variable, Database = "postgres" }, manager);
        Assert.False(task.Execute());
        var error = _engine.SingleError();
        Assert.Equal("FSW2014", error.Code);
        Assert.Contains($"SwarmSecretName '{name}'", error.Message);
        Assert.Empty(manager.Verbs);
    }

    [Fact]
    public void SecretSet_of_such_a_name_without_a_database_is_sent()
    {
        Environment.SetEnvironmentVariable(_variable, "postgres://someone:else@db/x");
        using var manager = Answering("secret-set", Rotated);
        var task = Connected(new SwarmSecretSet { SecretNames = ["DATABASE_URL"], FromEnvironment = _variable }, manager);
        Assert.True(task.Execute(), _engine.Log);
        Assert.Equal(["secret-set"], manager.Verbs);
    }

    // ---- sizes ----

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(8_503_000, "8.1 MB")]
    [InlineData(52_428_800, "50 MB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3 GB")]
    public void Sizes_are_human_readable(long bytes, string text) => Assert.Equal(text, DatabaseOption.FormatBytes(bytes));
}
