extern alias tasks;

using System.Diagnostics;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// SwarmDatabase and the database targets of Sdk.targets, run by `dotnet msbuild` on a bare project that imports the
/// SDK's files and this build's task assembly, with a fake ssh: properties reach the tasks, early checks stop before
/// anything is sent, and both SwarmDeploy calls carry the database.
/// </summary>
public sealed class DatabaseTargetsTests : IDisposable
{
    private const string Image = "localhost:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Deployed = """{"type":"result","outcome":"deployed","service":"app","release":2,"url":"http://app.localhost:8080/"}""";

    private readonly TempDirectory _dir = new();
    private readonly FakeManager _manager = new(
        ("database-info", [SwarmDatabaseTasksTests.InfoAnswer("app")]),
        ("database-rotate", ["""{"type":"progress","message":"release 3: updating service app"}""",
            """{"type":"result","outcome":"deployed","service":"app","release":3,"url":"http://app.localhost:8080/","message":"now using login role app_login_a"}"""]),
        ("database-drop", [SwarmDatabaseTasksTests.Dropped]),
        ("database-backup", [SwarmDatabaseTasksTests.BackedUp("app")]),
        ("deploy", [Deployed]));

    public void Dispose()
    {
        _manager.Dispose();
        _dir.Dispose();
    }

    private BareSdkProject Bare => new(_dir, _manager.ScriptPath);

    private string Project(string properties = "", string items = "") => Bare.Write(properties, items, """
        <Target Name="ShowBackupKey" AfterTargets="SwarmDatabaseBackup">
          <Message Importance="high" Text="backup key property: $(SwarmBackupKey)" />
        </Target>
        """);

    private Task<(int ExitCode, string Output)> MSBuildAsync(string project, params string[] args) => Bare.MSBuildAsync(project, "m", null, args);

    [Fact]
    public async Task The_database_targets_pass_their_properties_through()
    {
        // No SwarmDatabase in the project: the targets still reach a database kept after the property was removed.
        var (exit, output) = await MSBuildAsync(Project(), "-t:SwarmDatabaseInfo;SwarmDatabaseBackup;SwarmDatabaseRotatePassword;SwarmDatabaseDrop",
            "-p:SwarmConfirm=app", "-p:SwarmDeployTimeout=44");

        Assert.True(exit == 0, output);
        Assert.Equal(["database-info", "database-backup", "database-rotate", "database-drop"], _manager.Verbs);
        Assert.Equal("app", _manager.Request<ServiceRequest>("database-info").Service);
        Assert.Equal("app", _manager.Request<ServiceRequest>("database-backup").Service);
        Assert.Equal(("app", 44), (_manager.Request<DatabaseRotateRequest>("database-rotate").Service, _manager.Request<DatabaseRotateRequest>("database-rotate").TimeoutSeconds));
        Assert.Equal(("app", "app"), (_manager.Request<DatabaseDropRequest>("database-drop").Service, _manager.Request<DatabaseDropRequest>("database-drop").Confirm));
        Assert.Contains("app: postgres database app, 8.1 MB", output);
        Assert.Contains("app_login_b (active)", output);
        Assert.Contains("app: database backed up at", output);
        Assert.Contains("backup key property: backups/app/db/20260304T050607Z.dump", output);
        Assert.Contains("app: release 3: updating service app", output);
        Assert.Contains("app: database password rotated; release 3 deployed", output);
        Assert.Contains("now using login role app_login_a", output);
        Assert.Contains("app: database dropped", output);
    }

    [Theory]
    [InlineData()]
    [InlineData("-p:SwarmConfirm=other-app")]
    public async Task SwarmDatabaseDrop_without_the_name_confirmed_is_FSW2018_and_nothing_is_sent(params string[] confirm)
    {
        var (exit, output) = await MSBuildAsync(Project("<SwarmDatabase>postgres</SwarmDatabase>"), ["-t:SwarmDatabaseDrop", .. confirm]);
        Assert.NotEqual(0, exit);
        Assert.Contains("error FSW2018", output);
        Assert.Contains("-p:SwarmConfirm=app", output);
        Assert.Empty(_manager.Verbs);
    }

    [Fact]
    public async Task An_unknown_SwarmDatabase_is_FSW2017_and_nothing_is_sent()
    {
        var (exit, output) = await MSBuildAsync(Project("<SwarmDatabase>mysql</SwarmDatabase>"), "-t:SwarmDatabaseInfo");
        Assert.NotEqual(0, exit);
        Assert.Contains("error FSW2017", output);
        Assert.Contains("'postgres'", output);
        Assert.Empty(_manager.Verbs);
    }

    [Fact]
    public async Task SwarmDeploy_with_a_database_and_a_reserved_secret_stops_before_Publish()
    {
        // The bare project has no Publish target: reaching it would be MSB4057.
        var (exit, output) = await MSBuildAsync(Project("<SwarmDatabase>postgres</SwarmDatabase>", """<SwarmSecret Include="DATABASE_URL" FromEnvironment="MY_DB" />"""),
            "-t:SwarmDeploy");
        Assert.NotEqual(0, exit);
        Assert.Contains("error FSW2014", output);
        Assert.Contains("DATABASE_URL", output);
        Assert.DoesNotContain("MSB4057", output);
        Assert.Empty(_manager.Verbs);
    }

    [Theory]
    [InlineData("_SwarmDeployRunningImage", "-p:_SwarmImageState=unknown")]
    [InlineData("_SwarmDeployNewImage", "-p:_SwarmImage=" + Image)]
    public async Task Both_SwarmDeploy_calls_carry_the_database(string target, string state)
    {
        var (exit, output) = await MSBuildAsync(Project("<SwarmDatabase>Postgres</SwarmDatabase>"),
            $"-t:_SwarmComputeConfig;{target}", state, "-p:_SwarmContentKey=sha256:ck");
        Assert.True(exit == 0, output);
        Assert.Equal(["deploy"], _manager.Verbs);
        Assert.Equal("postgres", _manager.Request<DeployRequest>("deploy").Spec.Database);
    }

    [Fact]
    public async Task Without_SwarmDatabase_the_deploy_spec_has_none()
    {
        var (exit, output) = await MSBuildAsync(Project(), "-t:_SwarmComputeConfig;_SwarmDeployRunningImage", "-p:_SwarmImageState=unknown", "-p:_SwarmContentKey=sha256:ck");
        Assert.True(exit == 0, output);
        Assert.Null(_manager.Request<DeployRequest>("deploy").Spec.Database);
    }

    [Fact]
    public async Task Not_publishable_projects_skip_the_database_targets()
    {
        var (exit, output) = await MSBuildAsync(Project(), "-t:SwarmDatabaseInfo;SwarmDatabaseRotatePassword;SwarmDatabaseDrop;SwarmDatabaseBackup", "-p:IsPublishable=false");
        Assert.True(exit == 0, output);
        Assert.Empty(_manager.Verbs);
    }
}
