using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// The sample with &lt;SwarmDatabase&gt;postgres&lt;/SwarmDatabase&gt; against the local cluster's real PostgreSQL: it writes and
/// reads rows through its own database, keeps them across redeploys, rotates its password under load, refuses a
/// drop without confirmation, and backs up.
/// </summary>
public sealed class DatabaseDeployTests(ITestOutputHelper output) : IDisposable
{
    private readonly AppProject _app = NewApp();

    private static AppProject NewApp()
    {
        var app = new AppProject(TestCluster.NewServiceName("db"));
        app.SetProperty("SwarmDatabase", "postgres");
        return app;
    }

    private Task<PublishResult> TargetAsync(string target, params string[] properties) =>
        Dotnet.RunAsync(["msbuild", _app.ProjectFile, "-restore", $"-t:{target}", "-p:SwarmCluster=local", "-nodeReuse:false", "-nologo", .. properties.Select(p => "-p:" + p)]);

    private Task<(int Status, string Body)> VisitAsync() => Edge.GetAsync($"{_app.ServiceName}.{TestCluster.Daemon.BaseDomain}", "/visits");

    private static int Count(string body) => int.Parse(body.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Rows_survive_redeploys_rotation_keeps_serving_and_retires_the_old_password()
    {
        var first = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(first.ExitCode == 0, first.Output);
        var visit = (await Edge.WaitForAsync(_app.ServiceName, b => b.StartsWith("visits:"), TimeSpan.FromSeconds(30), "/visits")).Body;
        Assert.StartsWith("visits: 1 ", visit);
        Assert.Contains($"database {_app.ServiceName} as ", visit);
        var firstRole = visit.Split(" as ")[1].Trim().TrimEnd(')');

        // The spec carries no connection string: it is a file under /run/secrets.
        var spec = (await SwarmService.InspectAsync(_app.ServiceName))!.Spec.TaskTemplate.ContainerSpec;
        Assert.Contains(spec.Secrets, s => s.File.Name == "ConnectionStrings__Default");
        Assert.Contains(spec.Secrets, s => s.File.Name == "DATABASE_URL");
        Assert.DoesNotContain(spec.Env, e => e.Contains("Password", StringComparison.OrdinalIgnoreCase) || e.Contains("postgres://"));

        // A code change: a new image, the same database and rows.
        _app.SetAnswerSuffix(" v2");
        var second = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains(" v2 (served by", (await Edge.WaitForAsync(_app.ServiceName, b => b.Contains(" v2"))).Body);
        Assert.Equal(2, Count((await VisitAsync()).Body));

        var oldConnectionString = await ReadSecretInTaskAsync("ConnectionStrings__Default");
        await using (var old = new NpgsqlConnection(oldConnectionString)) await old.OpenAsync();

        // Rotation under load: every request answers.
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var sent = 0;
        var loop = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested && watch.Elapsed < TimeSpan.FromMinutes(5))
            {
                sent++;
                try
                {
                    var (status, body) = await VisitAsync();
                    if (status != 200) failures.Add($"{status}: {body.Trim()}");
                }
                catch (Exception e) { failures.Add(e.Message); }
                await Task.Delay(100);
            }
        });
        var rotate = await TargetAsync("SwarmDatabaseRotatePassword");
        await Task.Delay(1000);
        stop.Cancel();
        await loop;
        output.WriteLine(rotate.Output);
        Assert.True(rotate.ExitCode == 0, rotate.Output);
        Figures.Record($"database password rotation: {sent} requests during the rollout, {failures.Count} failed");
        Assert.Empty(failures);

        var after = (await VisitAsync()).Body;
        Assert.DoesNotContain($" as {firstRole})", after);
        Assert.True(Count(after) > 2, after);
        var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var old = new NpgsqlConnection(oldConnectionString + ";Pooling=false");
            await old.OpenAsync();
        });
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);

        // Info shows the roles, never a password.
        var info = await TargetAsync("SwarmDatabaseInfo");
        Assert.True(info.ExitCode == 0, info.Output);
        Assert.Contains(_app.ServiceName, info.Output);
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(oldConnectionString).Password!, info.Output);

        // A drop without confirmation changes nothing.
        var countBefore = Count((await VisitAsync()).Body);
        var drop = await TargetAsync("SwarmDatabaseDrop");
        Assert.NotEqual(0, drop.ExitCode);
        Assert.Contains("FSW2018", drop.Output);
        var wrong = await TargetAsync("SwarmDatabaseDrop", "SwarmConfirm=someone-else");
        Assert.Contains("FSW2018", wrong.Output);
        Assert.Equal(countBefore + 1, Count((await VisitAsync()).Body));

        // A backup lands in the store.
        var backup = await TargetAsync("SwarmDatabaseBackup");
        Assert.True(backup.ExitCode == 0, backup.Output);
        var keys = await ClusterState.Store.ListAsync("backups/", CancellationToken.None);
        Assert.Contains(keys, k => k.EndsWith($"/databases/{_app.ServiceName}.dump", StringComparison.Ordinal));

        // With confirmation: gone, and the service's next release has no connection strings.
        var confirmed = await TargetAsync("SwarmDatabaseDrop", $"SwarmConfirm={_app.ServiceName}");
        Assert.True(confirmed.ExitCode == 0, confirmed.Output);
        var infoAfter = await TargetAsync("SwarmDatabaseInfo");
        Assert.Contains("FSW2019", infoAfter.Output);
    }

    [Fact]
    public async Task PostgreSQL_unreachable_during_a_deploy_is_FSW5010_and_the_running_service_is_untouched()
    {
        var first = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.StartsWith("visits: 1 ", (await Edge.WaitForAsync(_app.ServiceName, b => b.StartsWith("visits:"), TimeSpan.FromSeconds(30), "/visits")).Body);
        var before = (await SwarmService.InspectAsync(_app.ServiceName))!;

        // The daemon reaches PostgreSQL over loopback; tasks reach it over the bridge, so only the daemon loses it.
        var port = TestCluster.Daemon.Database!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] rule = ["OUTPUT", "-o", "lo", "-p", "tcp", "--dport", port, "-m", "comment", "--comment", "futuswarm-test postgres down", "-j", "REJECT", "--reject-with", "tcp-reset"];
        await RunAsync("iptables", ["-I", .. rule]);
        PublishResult down;
        try
        {
            _app.SetAnswerSuffix(" while down");
            down = await Dotnet.DeployAsync(_app.ProjectFile);
        }
        finally { await RunAsync("iptables", ["-D", .. rule]); }

        Assert.NotEqual(0, down.ExitCode);
        Assert.Contains("FSW5010", down.Output);
        var after = (await SwarmService.InspectAsync(_app.ServiceName))!;
        Assert.Equal(before.Version.Index, after.Version.Index);
        Assert.StartsWith("visits: 2 ", (await VisitAsync()).Body);

        // Back up: the same deploy goes through.
        var again = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(again.ExitCode == 0, again.Output);
    }

    private static async Task RunAsync(string file, string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {await p.StandardError.ReadToEndAsync()}");
    }

    /// <summary>
    /// What a running task of the service reads from /run/secrets: the engine keeps each mounted secret on the host at
    /// &lt;data root&gt;/containers/&lt;id&gt;/mounts/secrets/&lt;secret id&gt; (the test runs as root beside the engine).
    /// </summary>
    private async Task<string> ReadSecretInTaskAsync(string name)
    {
        var secretId = (await SwarmService.InspectAsync(_app.ServiceName))!.Spec.TaskTemplate.ContainerSpec.Secrets.Single(s => s.File.Name == name).SecretID;
        using var docker = TestCluster.Docker();
        var containers = await docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"com.docker.swarm.service.name={_app.ServiceName}"] = true } },
        });
        var dataRoot = (await docker.System.GetSystemInfoAsync()).DockerRootDir;
        foreach (var c in containers)
        {
            var path = Path.Combine(dataRoot, "containers", c.ID, "mounts", "secrets", secretId);
            if (File.Exists(path)) return await File.ReadAllTextAsync(path);
        }
        throw new InvalidOperationException($"no running task of {_app.ServiceName} has secret {name}");
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
