using System.Diagnostics;
using System.Text;

namespace Futuswarm.IntegrationTests;

/// <summary>Ctrl+C stops waiting and says so; the rollout on the manager goes on to the end.</summary>
public sealed class CancelTests(ITestOutputHelper output) : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("cancel"));

    [Fact]
    public async Task Ctrl_C_during_a_rollout_stops_waiting_but_the_rollout_completes()
    {
        var first = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(first.ExitCode == 0, first.Output);

        _app.SetAnswerSuffix(" after-cancel");
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
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) await kill.WaitForExitAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await pump;
        output.WriteLine(log.ToString());
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains("The rollout goes on on the manager", log.ToString());

        // The manager finishes the release regardless.
        var answer = await Edge.WaitForAsync(_app.ServiceName, b => b.Contains(" after-cancel"), TimeSpan.FromSeconds(90));
        Assert.Contains(" after-cancel", answer.Body);
        var releases = Path.Combine(TestCluster.Root, "state", "services", _app.ServiceName, "releases");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !File.ReadAllText(Path.Combine(releases, "000002.json")).Contains("\"done\"")) await Task.Delay(500);
        Assert.Contains("\"state\": \"done\"", File.ReadAllText(Path.Combine(releases, "000002.json")));
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
