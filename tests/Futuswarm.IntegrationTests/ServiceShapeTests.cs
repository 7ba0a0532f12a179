namespace Futuswarm.IntegrationTests;

/// <summary>Scaling, workers without a route, and concurrent deploys of one service.</summary>
public sealed class ServiceShapeTests(ITestOutputHelper output) : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("shape"));

    [Fact]
    public async Task Scaling_changes_the_spec_without_a_push_or_restarting_the_running_task()
    {
        var first = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(first.ExitCode == 0, first.Output);
        using var docker = TestCluster.Docker();
        var before = await RunningTaskIdsAsync(docker);
        Assert.Single(before);

        _app.SetProperty("SwarmReplicas", "2");
        var scaled = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(scaled.ExitCode == 0, scaled.Output);
        Assert.False(scaled.Pushed, scaled.Output);
        var after = await RunningTaskIdsAsync(docker);
        Assert.Equal(2, after.Count);
        Assert.Contains(before[0], after);
    }

    [Fact]
    public async Task A_worker_with_port_none_runs_without_a_route_or_health_check()
    {
        _app.SetProperty("SwarmPort", "none");
        var deploy = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(deploy.ExitCode == 0, deploy.Output);
        Assert.DoesNotContain("answering at", deploy.Output);
        var service = (await SwarmService.InspectAsync(_app.ServiceName))!;
        Assert.Null(service.Spec.TaskTemplate.ContainerSpec.Healthcheck);
        await Task.Delay(1500);
        Assert.Equal(404, (await Edge.GetServiceAsync(_app.ServiceName)).Status);
    }

    [Fact]
    public async Task Concurrent_deploys_of_one_service_are_serialized()
    {
        var first = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(first.ExitCode == 0, first.Output);

        // Two property changes at once, from two copies of the project (two developers).
        using var other = new AppProject(_app.ServiceName + "-b");
        other.SetProperty("SwarmServiceName", _app.ServiceName);
        _app.SetGreeting("Greeting A");
        other.SetGreeting("Greeting B");
        var a = Dotnet.DeployAsync(_app.ProjectFile);
        var b = Dotnet.DeployAsync(other.ProjectFile);
        var results = await Task.WhenAll(a, b);
        foreach (var r in results) output.WriteLine(r.Output);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        var releases = new List<string>();
        foreach (var key in await ClusterState.ListAsync($"services/{_app.ServiceName}/releases/")) releases.Add((await ClusterState.ReadTextAsync(key))!);
        Assert.Equal(3, releases.Count);
        Assert.All(releases, text => Assert.Contains("\"state\": \"done\"", text));
        var last = releases[^1];
        var answer = (await Edge.WaitForAsync(_app.ServiceName, body => last.Contains(body.Split(" (served by")[0]))).Body;
        Assert.True(answer.Contains("Greeting A") || answer.Contains("Greeting B"), answer);
    }

    private async Task<List<string>> RunningTaskIdsAsync(Docker.DotNet.DockerClient docker)
    {
        var tasks = await docker.Tasks.ListAsync(new Docker.DotNet.Models.TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [_app.ServiceName] = true } },
        });
        return tasks.Where(t => t.DesiredState == Docker.DotNet.Models.TaskState.Running && t.Status.State == Docker.DotNet.Models.TaskState.Running)
            .Select(t => t.ID).ToList();
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
