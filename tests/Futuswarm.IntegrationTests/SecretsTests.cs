using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// Secrets and configuration end to end on the local cluster (S3 store on s3rver, real swarm): a project's secret on
/// its first deploy, list, rotate, a deploy that changes nothing, cluster config over project config, remove; and no
/// value in the store, the logs, a binlog or any command line.
/// </summary>
public sealed class SecretsTests(ITestOutputHelper output) : IDisposable
{
    private const string SecretVariable = "FSW_IT_HELLO_SECRET";
    private readonly AppProject _app = new(TestCluster.NewServiceName("secrets"));
    private readonly string _v1 = "v1-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly string _v2 = "v2-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Short(string value) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..12];

    private Task<PublishResult> DeployAsync(string secret, params string[] extra) =>
        Dotnet.RunAsync(["publish", _app.ProjectFile, "-t:SwarmDeploy", "-p:SwarmCluster=local", "-nodeReuse:false", "-nologo", .. extra],
            new Dictionary<string, string> { [SecretVariable] = secret });

    private Task<PublishResult> TargetAsync(string target, IReadOnlyDictionary<string, string>? env = null, params string[] properties) =>
        Dotnet.RunAsync(["msbuild", _app.ProjectFile, "-restore", $"-t:{target}", "-p:SwarmCluster=local", "-nodeReuse:false", "-nologo", .. properties.Select(p => "-p:" + p)], env);

    private async Task<string> SecretAnswerAsync(Func<string, bool> accept) =>
        (await Edge.WaitForAsync(_app.ServiceName, accept, TimeSpan.FromSeconds(30), "/secret")).Body;

    [Fact]
    public async Task Set_list_deploy_rotate_unset_without_plaintext_anywhere()
    {
        _app.AddItems($"<SwarmSecret Include=\"Hello__Secret\" FromEnvironment=\"{SecretVariable}\" />");
        var binlog = Path.Combine(_app.Directory, "deploy.binlog");

        // First deploy carries the project's secret; no process shows it on its command line.
        PublishResult first;
        await using (var watch = new CommandLineWatch(_v1))
        {
            first = await DeployAsync(_v1, $"-bl:{binlog}");
            Assert.True(watch.Scans > 10, $"only {watch.Scans} scans of /proc");
            Assert.Empty(watch.Hits);
        }
        output.WriteLine(first.Output);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains(Short(_v1), await SecretAnswerAsync(b => b.Contains(Short(_v1))));
        Assert.DoesNotContain(_v1, first.Output);
        Assert.True(PlaintextScan.BinlogLength(binlog) > 100_000, "the binlog is suspiciously small");
        Assert.False(PlaintextScan.BinlogContains(binlog, [_v1]), "the binlog holds the secret value");

        // The spec mounts a file and has no value in its environment.
        var service = (await SwarmService.InspectAsync(_app.ServiceName))!;
        var secretRef = Assert.Single(service.Spec.TaskTemplate.ContainerSpec.Secrets);
        Assert.Equal("Hello__Secret", secretRef.File.Name);
        Assert.StartsWith(_app.ServiceName + ".", secretRef.SecretName);
        Assert.DoesNotContain(service.Spec.TaskTemplate.ContainerSpec.Env ?? [], e => e.Contains(_v1));

        // Listing shows name and version, never the value.
        var list = await TargetAsync("SwarmSecretList");
        Assert.True(list.ExitCode == 0, list.Output);
        Assert.Contains("Hello__Secret", list.Output);
        Assert.DoesNotContain(_v1, list.Output);

        // The same value again: nothing to roll out.
        var again = await DeployAsync(_v1);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("unchanged", again.Output);

        // Rotate without a deploy: a new release with the same image and the new version.
        var rotate = await TargetAsync("SwarmSecretSet", new Dictionary<string, string> { [SecretVariable] = _v2 },
            "SwarmSecretName=Hello__Secret", $"SwarmSecretFromEnvironment={SecretVariable}");
        Assert.True(rotate.ExitCode == 0, rotate.Output);
        Assert.Contains(Short(_v2), await SecretAnswerAsync(b => b.Contains(Short(_v2))));
        var rotated = (await SwarmService.InspectAsync(_app.ServiceName))!;
        Assert.Equal(service.Spec.TaskTemplate.ContainerSpec.Image, rotated.Spec.TaskTemplate.ContainerSpec.Image);
        Assert.NotEqual(secretRef.SecretName, Assert.Single(rotated.Spec.TaskTemplate.ContainerSpec.Secrets).SecretName);

        // Cluster config overrides the project's value until it is unset.
        var set = await TargetAsync("SwarmConfigSet", null, "SwarmConfigName=HELLO_GREETING", "SwarmConfigValue=Hi from the cluster");
        Assert.True(set.ExitCode == 0, set.Output);
        Assert.Contains("Hi from the cluster", (await Edge.WaitForAsync(_app.ServiceName, b => b.Contains("Hi from the cluster"))).Body);
        var configList = await TargetAsync("SwarmConfigList");
        Assert.True(configList.ExitCode == 0, configList.Output);
        Assert.Contains("Hi from the cluster", configList.Output);
        Assert.Contains("Hello from HelloSwarm", configList.Output);
        var unset = await TargetAsync("SwarmConfigUnset", null, "SwarmConfigName=HELLO_GREETING");
        Assert.True(unset.ExitCode == 0, unset.Output);
        Assert.Contains("Hello from HelloSwarm", (await Edge.WaitForAsync(_app.ServiceName, b => b.Contains("Hello from HelloSwarm"))).Body);
        Assert.DoesNotContain((await SwarmService.InspectAsync(_app.ServiceName))!.Spec.TaskTemplate.ContainerSpec.Env, e => e.Contains("Hi from the cluster"));

        // Remove: the next release has no secret at all.
        var remove = await TargetAsync("SwarmSecretRemove", null, "SwarmSecretName=Hello__Secret");
        Assert.True(remove.ExitCode == 0, remove.Output);
        Assert.Contains("not set", await SecretAnswerAsync(b => b.Contains("not set")));
        Assert.Null((await SwarmService.InspectAsync(_app.ServiceName))!.Spec.TaskTemplate.ContainerSpec.Secrets);

        // No value in the store, the daemon's files or logs, the project's folder (obj/, binlog).
        var hits = PlaintextScan.Files(TestCluster.Root, [_v1, _v2], "docker", "registry", "lib", "node_modules");
        hits.AddRange(PlaintextScan.Files(_app.Directory, [_v1, _v2]));
        Assert.Empty(hits);
    }

    [Fact]
    public async Task A_failed_rollout_keeps_the_running_release_and_its_secret_version()
    {
        _app.AddItems($"<SwarmSecret Include=\"Hello__Secret\" FromEnvironment=\"{SecretVariable}\" />");
        var first = await DeployAsync(_v1);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains(Short(_v1), await SecretAnswerAsync(b => b.Contains(Short(_v1))));

        _app.BreakHealth();
        var broken = await DeployAsync(_v2, "-p:SwarmDeployTimeout=40");
        Assert.NotEqual(0, broken.ExitCode);
        Assert.True(broken.Output.Contains("FSW4001") || broken.Output.Contains("FSW4002"), broken.Output);
        Assert.Contains(Short(_v1), (await Edge.GetAsync($"{_app.ServiceName}.{TestCluster.Daemon.BaseDomain}", "/secret")).Body);

        // The cluster still lists the version that runs, so the next deploy sends v2 again.
        var config = JsonDocument.Parse((await ClusterState.Store.ReadAsync($"services/{_app.ServiceName}/config.json", CancellationToken.None))!);
        var running = (await SwarmService.InspectAsync(_app.ServiceName))!;
        Assert.Equal(Assert.Single(running.Spec.TaskTemplate.ContainerSpec.Secrets).SecretName.Split('.')[0], _app.ServiceName);
        var release1 = JsonDocument.Parse((await ClusterState.Store.ReadAsync($"services/{_app.ServiceName}/releases/000001.json", CancellationToken.None))!);
        Assert.Equal(VersionOf(release1), VersionOf(config));
        var releases = await ReleasesAsync();
        Assert.Equal(["done", "failed"], releases.Select(r => r.State));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_code_and_changes_nothing()
    {
        var deploy = await DeployAsync(_v1);
        Assert.True(deploy.ExitCode == 0, deploy.Output);
        var before = StateSnapshot();

        var unknown = await Dotnet.RunAsync(["msbuild", _app.ProjectFile, "-restore", "-t:SwarmConfigSet", "-p:SwarmCluster=local", "-nodeReuse:false", "-nologo",
            $"-p:SwarmServiceName={TestCluster.NewServiceName("nosuch")}", "-p:SwarmConfigName=A", "-p:SwarmConfigValue=b"]);
        Assert.Contains("FSW2012", unknown.Output);

        var badName = await TargetAsync("SwarmSecretSet", new Dictionary<string, string> { [SecretVariable] = _v1 },
            "SwarmSecretName=bad/name", $"SwarmSecretFromEnvironment={SecretVariable}");
        Assert.Contains("FSW2014", badName.Output);

        var empty = await TargetAsync("SwarmSecretSet", new Dictionary<string, string> { [SecretVariable] = "" },
            "SwarmSecretName=Empty", $"SwarmSecretFromEnvironment={SecretVariable}");
        Assert.True(empty.Output.Contains("FSW2015") || empty.Output.Contains("FSW0008"), empty.Output);

        var big = Path.Combine(_app.Directory, "big.bin");
        File.WriteAllBytes(big, RandomNumberGenerator.GetBytes(500 * 1024 + 1));
        var tooBig = await TargetAsync("SwarmSecretSet", null, "SwarmSecretName=Big", $"SwarmSecretFromFile={big}");
        Assert.Contains("FSW2015", tooBig.Output);

        var removeMissing = await TargetAsync("SwarmSecretRemove", null, "SwarmSecretName=NoSuchSecret");
        Assert.Contains("FSW2016", removeMissing.Output);

        var emptyConfig = await TargetAsync("SwarmConfigSet", null, "SwarmConfigName=A", "SwarmConfigValue=");
        Assert.True(emptyConfig.Output.Contains("FSW2005") || emptyConfig.Output.Contains("FSW0009"), emptyConfig.Output);

        foreach (var r in new[] { unknown, badName, empty, tooBig, removeMissing, emptyConfig }) Assert.NotEqual(0, r.ExitCode);
        Assert.Equal(before, StateSnapshot());
    }

    private static string VersionOf(JsonDocument doc) =>
        doc.RootElement.GetProperty("secrets").GetProperty("Hello__Secret").GetProperty("version").GetString()!;

    private sealed record ReleaseDoc(int Number, string State);

    private async Task<List<ReleaseDoc>> ReleasesAsync()
    {
        var store = ClusterState.Store;
        var keys = await store.ListAsync($"services/{_app.ServiceName}/releases/", CancellationToken.None);
        var list = new List<ReleaseDoc>();
        foreach (var k in keys)
            list.Add(JsonSerializer.Deserialize<ReleaseDoc>((await store.ReadAsync(k, CancellationToken.None))!, new JsonSerializerOptions(JsonSerializerDefaults.Web))!);
        return list;
    }

    /// <summary>Every key under the service with its bytes' hash: equal snapshots mean nothing was written.</summary>
    private string StateSnapshot()
    {
        var store = ClusterState.Store;
        var keys = store.ListAsync($"services/{_app.ServiceName}/", CancellationToken.None).GetAwaiter().GetResult();
        return string.Join("\n", keys.Select(k => k + " " + Convert.ToHexString(SHA256.HashData(store.ReadAsync(k, CancellationToken.None).GetAwaiter().GetResult()!))));
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
