namespace Futuswarm.IntegrationTests;

/// <summary>An image that never gets healthy: a coded error within the bound, and the previous digest keeps answering.</summary>
public sealed class FailedRolloutTests(ITestOutputHelper output) : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("broken"));

    [Fact]
    public async Task Never_healthy_update_rolls_back_and_the_previous_digest_keeps_serving()
    {
        var good = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(good.ExitCode == 0, good.Output);
        var goodImage = (await SwarmService.InspectAsync(_app.ServiceName))!.Spec.TaskTemplate.ContainerSpec.Image;
        Assert.Equal(200, (await Edge.WaitForAsync(_app.ServiceName, _ => true)).Status);

        _app.BreakHealth();
        _app.SetAnswerSuffix(" broken");
        var bad = await Dotnet.DeployAsync(_app.ProjectFile, "-p:SwarmDeployTimeout=60");
        Figures.Record($"never-healthy update: FSW error after {bad.Elapsed.TotalSeconds:0.0} s, previous digest kept serving");
        output.WriteLine(bad.Output);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Matches("error FSW400[12]", bad.Output);
        Assert.Contains("keeps serving", bad.Output);
        Assert.Contains("unhealthy: 500", bad.Output); // the probe's own words, from the failed task's health log

        var service = (await SwarmService.InspectAsync(_app.ServiceName))!;
        Assert.Equal(goodImage, service.Spec.TaskTemplate.ContainerSpec.Image);
        var answer = await Edge.GetServiceAsync(_app.ServiceName);
        Assert.Equal(200, answer.Status);
        Assert.DoesNotContain("broken", answer.Body);
    }

    [Fact]
    public async Task Not_healthy_within_the_deploy_timeout_is_rolled_back_by_the_manager_FSW4002()
    {
        var good = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(good.ExitCode == 0, good.Output);
        var goodImage = (await SwarmService.InspectAsync(_app.ServiceName))!.Spec.TaskTemplate.ContainerSpec.Image;

        // The check fails, but the engine counts failures only after the 30 s start period: the manager's bound comes first.
        _app.BreakHealth();
        _app.SetAnswerSuffix(" slow");
        var bad = await Dotnet.DeployAsync(_app.ProjectFile, "-p:SwarmDeployTimeout=12");
        output.WriteLine(bad.Output);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("error FSW4002", bad.Output);
        Assert.Contains("keeps serving", bad.Output);
        Figures.Record($"deploy timeout 12 s: FSW4002 and rolled back after {bad.Elapsed.TotalSeconds:0.0} s");

        var service = (await SwarmService.InspectAsync(_app.ServiceName))!;
        Assert.Equal(goodImage, service.Spec.TaskTemplate.ContainerSpec.Image);
        Assert.Equal("rollback_completed", service.UpdateStatus?.State);
        var answer = await Edge.GetServiceAsync(_app.ServiceName);
        Assert.Equal(200, answer.Status);
        Assert.DoesNotContain("slow", answer.Body);
    }

    [Fact]
    public async Task Never_healthy_first_deploy_is_FSW4003_and_removes_the_service()
    {
        _app.BreakHealth();
        var bad = await Dotnet.DeployAsync(_app.ProjectFile, "-p:SwarmDeployTimeout=20");
        output.WriteLine(bad.Output);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("error FSW4003", bad.Output);
        Assert.Null(await SwarmService.InspectAsync(_app.ServiceName));
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
