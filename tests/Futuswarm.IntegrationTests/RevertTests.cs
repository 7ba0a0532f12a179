namespace Futuswarm.IntegrationTests;

/// <summary>The registry is the build cache: going back to earlier code deploys the image built for it, without a push.</summary>
public sealed class RevertTests : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("revert"));

    [Fact]
    public async Task Reverting_the_code_redeploys_the_earlier_image_without_publishing()
    {
        _app.SetAnswerSuffix(" first");
        var original = _app.Program;
        var first = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(first.ExitCode == 0, first.Output);
        var firstImage = (await SwarmService.InspectAsync(_app.ServiceName))!.Spec.TaskTemplate.ContainerSpec.Image;

        _app.SetAnswerSuffix(" second");
        var second = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.True(second.Pushed, second.Output);

        _app.Program = original;
        var revert = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(revert.ExitCode == 0, revert.Output);
        Assert.False(revert.Pushed, revert.Output);
        Assert.Contains("release 3 deployed", revert.Output);
        Assert.Equal(firstImage, (await SwarmService.InspectAsync(_app.ServiceName))!.Spec.TaskTemplate.ContainerSpec.Image);
        Assert.Equal(2, (await Registry.TagsAsync(_app.ServiceName)).Count);
        var answer = await Edge.WaitForAsync(_app.ServiceName, b => b.Contains(" first (served by"));
        Assert.Contains(" first (served by", answer.Body);
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
