extern alias tasks;

using System.Diagnostics;
using System.Text;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// The secret and configuration targets of Sdk.targets, run by `dotnet msbuild` on a bare project that imports the
/// SDK's files and this build's task assembly, with a fake ssh. Checks the wiring (properties and items reach the
/// tasks), the early checks, and that no value reaches the build's own log.
/// </summary>
public sealed class SecretTargetsTests : IDisposable
{
    private const string Deployed = """{"type":"result","outcome":"deployed","service":"app","release":2,"url":"http://app.localhost:8080/"}""";

    private readonly TempDirectory _dir = new();
    private readonly string _variable = "FSW_UT_" + Guid.NewGuid().ToString("N");
    private readonly string _envValue = "env-secret-" + Guid.NewGuid().ToString("N");
    private readonly string _fileValue = "file-secret-" + Guid.NewGuid().ToString("N");
    private readonly FakeManager _manager = new(
        ("secret-set", [Deployed]), ("secret-remove", [Deployed]), ("config-set", [Deployed]), ("config-unset", [Deployed]),
        ("secret-list", [SwarmDeploySecretsTests.Listed(null, SwarmDeploySecretsTests.Info("Declared", "hmac-sha256:00"))]),
        ("config-list", ["""{"type":"result","outcome":"listed","service":"app","config":[{"name":"LOG_LEVEL","value":"debug","source":"cluster"}]}"""]));

    public void Dispose()
    {
        _manager.Dispose();
        _dir.Dispose();
    }

    private BareSdkProject Bare => new(_dir, _manager.ScriptPath);

    private string Project(string items = "") => Bare.Write(items: items);

    private string Declared => $"""
        <SwarmSecret Include="Api__Key" FromEnvironment="{_variable}" />
        <SwarmSecret Include="signing.pem" FromFile="secrets/signing.pem" />
        """;

    private Task<(int ExitCode, string Output)> MSBuildAsync(string project, string verbosity, params string[] args) =>
        Bare.MSBuildAsync(project, verbosity, new Dictionary<string, string> { [_variable] = _envValue }, args);

    [Fact]
    public async Task A_missing_required_property_is_FSW0009_and_nothing_is_sent()
    {
        var (exit, output) = await MSBuildAsync(Project(), "m", "-t:SwarmSecretRemove");
        Assert.NotEqual(0, exit);
        Assert.Contains("error FSW0009", output);
        Assert.Contains("SwarmSecretName", output);
        Assert.Empty(_manager.Verbs);
    }

    [Fact]
    public async Task SwarmSecretSet_sends_the_declared_values_on_stdin_and_logs_none()
    {
        _dir.File("secrets/signing.pem", _fileValue);

        // Diagnostic: every task parameter, property and item is logged.
        var (exit, output) = await MSBuildAsync(Project(Declared), "diag", "-t:SwarmSecretSet", "-p:SwarmDeployTimeout=77");

        Assert.True(exit == 0, output);
        Assert.Equal(["secret-set"], _manager.Verbs);
        var request = _manager.Request<SecretSetRequest>("secret-set");
        Assert.Equal(("app", 77), (request.Service, request.TimeoutSeconds));
        Assert.Equal(_envValue, Encoding.UTF8.GetString(request.Secrets.Single(s => s.Name == "Api__Key").Value!));
        Assert.Equal(_fileValue, Encoding.UTF8.GetString(request.Secrets.Single(s => s.Name == "signing.pem").Value!));
        Assert.Contains("secrets Api__Key, signing.pem set; release 2 deployed", output);
        Assert.DoesNotContain(_envValue, output);
        Assert.DoesNotContain(_fileValue, output);
        Assert.DoesNotContain(_envValue, _manager.AllArgs);
        Assert.DoesNotContain(_fileValue, _manager.AllArgs);
    }

    [Fact]
    public async Task SwarmSecretSet_of_one_declared_secret_by_name()
    {
        _dir.File("secrets/signing.pem", _fileValue);
        var (exit, output) = await MSBuildAsync(Project(Declared), "m", "-t:SwarmSecretSet", "-p:SwarmSecretName=signing.pem");
        Assert.True(exit == 0, output);
        var secret = Assert.Single(_manager.Request<SecretSetRequest>("secret-set").Secrets);
        Assert.Equal(("signing.pem", _fileValue), (secret.Name, Encoding.UTF8.GetString(secret.Value!)));
        Assert.DoesNotContain(_fileValue, output);
    }

    [Fact]
    public async Task SwarmDeploy_with_a_bad_SwarmSecret_stops_before_Publish()
    {
        // The bare project has no Publish target: reaching it would be MSB4057.
        var (exit, output) = await MSBuildAsync(Project("""<SwarmSecret Include="Api__Key" FromEnvironment="A" FromFile="b" />"""), "m", "-t:SwarmDeploy");
        Assert.NotEqual(0, exit);
        Assert.Contains("error FSW2014", output);
        Assert.DoesNotContain("MSB4057", output);
        Assert.Empty(_manager.Verbs);
    }

    [Fact]
    public async Task Not_publishable_projects_skip_the_targets()
    {
        var (exit, output) = await MSBuildAsync(Project(), "m", "-t:SwarmSecretSet;SwarmSecretRemove;SwarmConfigSet;SwarmConfigUnset", "-p:IsPublishable=false");
        Assert.True(exit == 0, output);
        Assert.Empty(_manager.Verbs);
    }

    [Fact]
    public async Task The_other_targets_pass_their_properties_through()
    {
        // On the command line ';' and ',' separate -p: properties, so several names are written A%3BB.
        var (exit, output) = await MSBuildAsync(Project(Declared), "m",
            "-t:SwarmSecretList;SwarmSecretRemove;SwarmConfigSet;SwarmConfigUnset;SwarmConfigList",
            "-p:SwarmSecretName=Declared%3BOther", "-p:SwarmConfigName=LOG_LEVEL", "-p:SwarmConfigValue=debug", "-p:SwarmDeployTimeout=33");

        Assert.True(exit == 0, output);
        Assert.Equal(["secret-list", "secret-remove", "config-set", "config-unset", "config-list"], _manager.Verbs);
        Assert.Contains("app: Declared  version 01JTESTVERSION", output);
        Assert.Contains("app: Api__Key  declared in the project, not on the cluster yet", output);
        Assert.Equal(["Declared", "Other"], _manager.Request<RemoveRequest>("secret-remove").Names);
        Assert.Equal(33, _manager.Request<RemoveRequest>("secret-remove").TimeoutSeconds);
        Assert.Equal("debug", _manager.Request<ConfigSetRequest>("config-set").Values["LOG_LEVEL"]);
        Assert.Equal(["LOG_LEVEL"], _manager.Request<RemoveRequest>("config-unset").Names);
        Assert.Contains("app: LOG_LEVEL=debug", output);
        Assert.DoesNotContain(_envValue, output);
    }
}
