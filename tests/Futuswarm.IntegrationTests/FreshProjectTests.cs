namespace Futuswarm.IntegrationTests;

/// <summary>A `dotnet new web` project outside the repo, with the packed SDK from a local feed and a private NuGet folder.</summary>
public sealed class FreshProjectTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fsw-fresh-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _service = TestCluster.NewServiceName("fresh");

    [Fact]
    public async Task A_new_web_project_deploys_and_answers()
    {
        Directory.CreateDirectory(_dir);
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, ".nuget-packages") };
        var created = await Dotnet.RunAsync(["new", "web", "-o", Path.Combine(_dir, "FreshApp"), "--no-restore"], env);
        Assert.True(created.ExitCode == 0, created.Output);
        var project = Path.Combine(_dir, "FreshApp", "FreshApp.csproj");
        var text = File.ReadAllText(project);
        File.WriteAllText(project, text.Replace("<Project Sdk=\"Microsoft.NET.Sdk.Web\">",
            $"<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <Sdk Name=\"Futuswarm.Sdk\" Version=\"{TestCluster.SdkVersion}\" />"));
        AppProject.WriteSdkPointers(_dir);

        var deploy = await Dotnet.RunAsync(["publish", project, "-t:SwarmDeploy", "-p:SwarmCluster=local", $"-p:SwarmServiceName={_service}", "-nodeReuse:false", "-nologo"], env);
        output.WriteLine(deploy.Output);
        Assert.True(deploy.ExitCode == 0, deploy.Output);
        Assert.True(Directory.Exists(Path.Combine(_dir, ".nuget-packages", "futuswarm.sdk", TestCluster.SdkVersion)), "the SDK came from the private NuGet folder");
        var answer = await Edge.WaitForAsync(_service, b => b.Contains("Hello World!"));
        Assert.Equal(200, answer.Status);
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_service).GetAwaiter().GetResult();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
