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
        using var deploy = new RunningDeploy(_app.ProjectFile);
        await deploy.RolloutStartedAsync();
        await RunningDeploy.SignalAsync("-INT", deploy.Pid.ToString());
        await deploy.WaitForExitAsync();
        output.WriteLine(deploy.Log);
        Assert.NotEqual(0, deploy.ExitCode);
        Assert.Contains("The rollout goes on on the manager", deploy.Log);

        // The manager finishes the release regardless.
        var answer = await Edge.WaitForAsync(_app.ServiceName, b => b.Contains(" after-cancel"), TimeSpan.FromSeconds(90));
        Assert.Contains(" after-cancel", answer.Body);
        var record = $"services/{_app.ServiceName}/releases/000002.json";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(await ClusterState.ReadTextAsync(record))!.Contains("\"done\"")) await Task.Delay(500);
        Assert.Contains("\"state\": \"done\"", await ClusterState.ReadTextAsync(record));
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
