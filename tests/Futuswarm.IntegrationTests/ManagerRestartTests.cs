using System.Diagnostics;
using System.Text;

namespace Futuswarm.IntegrationTests;

/// <summary>A manager killed mid-rollout: the client gets a coded error, and the restarted manager settles the release from the engine's state.</summary>
public sealed class ManagerRestartTests(ITestOutputHelper output) : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("restart"));

    [Fact]
    public async Task A_release_pending_when_the_manager_died_is_settled_at_its_restart()
    {
        var first = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(first.ExitCode == 0, first.Output);

        _app.SetAnswerSuffix(" v2");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "publish", _app.ProjectFile, "-t:SwarmDeploy", "-p:SwarmCluster=local", "-nodeReuse:false", "-nologo" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var log = new StringBuilder();
        var sawRollout = new TaskCompletionSource();
        var pump = Task.Run(async () =>
        {
            while (await p.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (log) log.AppendLine(line);
                if (line.Contains("updating service")) sawRollout.TrySetResult();
            }
        });
        await sawRollout.Task.WaitAsync(TimeSpan.FromMinutes(3));

        var pidFile = Path.Combine(TestCluster.Root, "run", "managerd.pid");
        var pid = File.ReadAllText(pidFile).Trim();
        using (var kill = Process.Start("kill", ["-KILL", pid])) await kill.WaitForExitAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await pump;
        output.WriteLine(log.ToString());
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains("FSW1007", log.ToString());

        // LocalCluster brings the manager back (and only the manager: the rest runs).
        var up = await Dotnet.RunAsync(["run", "--project", Path.Combine(TestCluster.RepoRoot, "build", "_build.csproj"), "--no-build", "--", "LocalCluster"],
            workingDirectory: TestCluster.RepoRoot);
        output.WriteLine(up.Output);
        Assert.True(up.ExitCode == 0, up.Output);
        Assert.Contains("manager daemon started", up.Output);

        var record = Path.Combine(TestCluster.Root, "state", "services", _app.ServiceName, "releases", "000002.json");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline && File.ReadAllText(record).Contains("\"pending\"")) await Task.Delay(500);
        var text = File.ReadAllText(record);
        output.WriteLine(text);
        Assert.Contains("\"state\": \"done\"", text);
        Assert.Contains(" v2", (await Edge.WaitForAsync(_app.ServiceName, b => b.Contains(" v2"), TimeSpan.FromSeconds(30))).Body);
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
