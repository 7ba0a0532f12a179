namespace Futuswarm.IntegrationTests;

/// <summary>Sdk.targets' own checks stop the deploy before anything is built or sent.</summary>
public sealed class TargetCheckTests : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("checks"));

    [Fact]
    public async Task Self_contained_is_FSW0003_not_yet_supported()
    {
        var result = await Dotnet.RunAsync(["msbuild", _app.ProjectFile, "-t:SwarmDeploy", "-p:SwarmCluster=local", "-p:SelfContained=true", "-nodeReuse:false", "-nologo"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error FSW0003", result.Output);
        Assert.Contains("not yet supported", result.Output);
    }

    [Fact]
    public async Task Custom_domains_and_sso_are_not_yet_supported()
    {
        var sso = await Dotnet.DeployAsync(_app.ProjectFile, "-p:SwarmAccess=sso");
        Assert.Contains("error FSW2010", sso.Output);
        _app.SetProperty("SwarmAccess", "public");
        File.WriteAllText(_app.ProjectFile, File.ReadAllText(_app.ProjectFile).Replace("</Project>",
            "  <ItemGroup><SwarmDomain Include=\"www.example.com\" /></ItemGroup>\n</Project>"));
        var domains = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.Contains("error FSW2009", domains.Output);
        Assert.Null(await SwarmService.InspectAsync(_app.ServiceName));
    }

    [Fact]
    public async Task Not_publishable_projects_answer_the_targets_with_nothing()
    {
        var result = await Dotnet.RunAsync(["msbuild", _app.ProjectFile, "-t:SwarmDeploy", "-p:IsPublishable=false", "-nodeReuse:false", "-nologo"]);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FSW0001", result.Output);
        Assert.Null(await SwarmService.InspectAsync(_app.ServiceName));
    }

    public void Dispose() => _app.Dispose();
}
