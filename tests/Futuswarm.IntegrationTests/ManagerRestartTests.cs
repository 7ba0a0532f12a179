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
        using var deploy = new RunningDeploy(_app.ProjectFile);
        await deploy.RolloutStartedAsync();
        var pid = File.ReadAllText(Path.Combine(TestCluster.Root, "run", "managerd.pid")).Trim();
        await RunningDeploy.SignalAsync("-KILL", pid);
        await deploy.WaitForExitAsync();
        output.WriteLine(deploy.Log);
        Assert.NotEqual(0, deploy.ExitCode);
        Assert.Contains("FSW1007", deploy.Log);

        // LocalCluster brings the manager back (and only the manager: the rest runs).
        var up = await BuildScript.RunAsync("LocalCluster");
        output.WriteLine(up.Output);
        Assert.True(up.ExitCode == 0, up.Output);
        Assert.Contains("managerd: started the manager daemon", up.Output);

        var record = $"services/{_app.ServiceName}/releases/000002.json";
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline && (await ClusterState.ReadTextAsync(record))!.Contains("\"pending\"")) await Task.Delay(500);
        var text = (await ClusterState.ReadTextAsync(record))!;
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
