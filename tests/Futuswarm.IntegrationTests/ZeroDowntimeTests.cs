using System.Diagnostics;

namespace Futuswarm.IntegrationTests;

/// <summary>A request loop through the edge during three deploys: not one request may fail.</summary>
public sealed class ZeroDowntimeTests(ITestOutputHelper output) : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("zero"));

    [Fact]
    public async Task Three_rollouts_under_load_fail_no_request()
    {
        var first = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Equal(200, (await Edge.WaitForAsync(_app.ServiceName, _ => true)).Status);

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var sent = 0;
        var answers = new HashSet<string>();
        var loop = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            // Bounded: at most 10 minutes and 20 requests a second, loopback only.
            while (!stop.IsCancellationRequested && watch.Elapsed < TimeSpan.FromMinutes(10))
            {
                sent++;
                try
                {
                    var (status, body) = await Edge.GetServiceAsync(_app.ServiceName);
                    if (status != 200) failures.Add($"{status}: {body.Trim()}");
                    else lock (answers) answers.Add(body.Split(" (served by")[0]);
                }
                catch (Exception e) { failures.Add(e.Message); }
                await Task.Delay(50);
            }
        });

        for (var round = 1; round <= 3; round++)
        {
            _app.SetAnswerSuffix($" round{round}");
            var deploy = await Dotnet.DeployAsync(_app.ProjectFile);
            Assert.True(deploy.ExitCode == 0, deploy.Output);
        }
        await Task.Delay(1000);
        stop.Cancel();
        await loop;

        output.WriteLine($"{sent} requests during 3 rollouts, {failures.Count} failed; answers seen: {string.Join(" | ", answers)}");
        Figures.Record($"zero downtime: {sent} requests through the edge during 3 rollouts, {failures.Count} failed");
        Assert.Empty(failures);
        Assert.Contains(answers, a => a.Contains("round3"));
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
