namespace Futuswarm.IntegrationTests;

/// <summary>The main path: the sample deployed with dotnet publish -t:SwarmDeploy answers through the edge, then changes, no-ops and property-only changes.</summary>
public sealed class SampleDeployTests : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("sample"));

    [Fact]
    public async Task Deploys_changes_noops_and_property_changes()
    {
        var svc = _app.ServiceName;

        // First deploy: exit 0, pinned to the pushed digest, answers through the edge.
        var first = await Dotnet.DeployAsync(_app.ProjectFile);
        Figures.Record($"sample: first deploy {first.Elapsed.TotalSeconds:0.0} s");
        Assert.True(first.ExitCode == 0, first.Output);
        var service = await SwarmService.InspectAsync(svc);
        Assert.NotNull(service);
        var image = service.Spec.TaskTemplate.ContainerSpec.Image;
        Assert.StartsWith($"localhost:5000/{svc}@sha256:", image);
        var tags = await Registry.TagsAsync(svc);
        Assert.Single(tags);
        Assert.Equal(await Registry.DigestAsync(svc, tags[0]), image[(image.IndexOf('@') + 1)..]);
        var answer = await Edge.WaitForAsync(svc, b => b.Contains("Hello from HelloSwarm"));
        Assert.Equal(200, answer.Status);
        Assert.Contains($"http://{svc}.localhost:{TestCluster.EdgePort}/", first.Output);

        // An unknown domain gets the catch-all 404.
        var unknown = await Edge.GetAsync($"nothing-here-{Guid.NewGuid():N}.localhost");
        Assert.Equal(404, unknown.Status);

        // A code change: a new image, a new release, the new answer served.
        _app.SetAnswerSuffix(" v2");
        var second = await Dotnet.DeployAsync(_app.ProjectFile);
        Figures.Record($"sample: code change deployed in {second.Elapsed.TotalSeconds:0.0} s");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("release 2 deployed", second.Output);
        Assert.Equal(2, (await Registry.TagsAsync(svc)).Count);
        Assert.Contains(" v2 (served by", (await Edge.WaitForAsync(svc, b => b.Contains(" v2"))).Body);

        // No change at all: nothing pushed, the engine's service version stays.
        var before = (await SwarmService.InspectAsync(svc))!.Version.Index;
        var noop = await Dotnet.DeployAsync(_app.ProjectFile);
        Figures.Record($"sample: no-op deploy {noop.Elapsed.TotalSeconds:0.0} s");
        Assert.True(noop.ExitCode == 0, noop.Output);
        Assert.Contains("unchanged, release 2 keeps running", noop.Output);
        Assert.False(noop.Pushed, noop.Output);
        Assert.Equal(2, (await Registry.TagsAsync(svc)).Count);
        Assert.Equal(before, (await SwarmService.InspectAsync(svc))!.Version.Index);

        // Only a property: the spec updates with the running digest, no image pushed.
        var runningImage = (await SwarmService.InspectAsync(svc))!.Spec.TaskTemplate.ContainerSpec.Image;
        _app.SetGreeting("Greetings from a property");
        var property = await Dotnet.DeployAsync(_app.ProjectFile);
        Figures.Record($"sample: property-only deploy {property.Elapsed.TotalSeconds:0.0} s");
        Assert.True(property.ExitCode == 0, property.Output);
        Assert.False(property.Pushed, property.Output);
        Assert.Contains("release 3 deployed", property.Output);
        Assert.Equal(2, (await Registry.TagsAsync(svc)).Count);
        var after = (await SwarmService.InspectAsync(svc))!;
        Assert.True(after.Version.Index > before);
        Assert.Equal(runningImage, after.Spec.TaskTemplate.ContainerSpec.Image);
        Assert.Contains("Greetings from a property", (await Edge.WaitForAsync(svc, b => b.Contains("Greetings from a property"))).Body);
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
