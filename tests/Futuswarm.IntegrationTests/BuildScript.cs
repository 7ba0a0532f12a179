namespace Futuswarm.IntegrationTests;

/// <summary>Runs the build project's targets the way ./build.sh does (it is already built by the outer run).</summary>
public static class BuildScript
{
    public static Task<PublishResult> RunAsync(params string[] args) =>
        Dotnet.RunAsync(["run", "--project", Path.Combine(TestCluster.RepoRoot, "build", "_build.csproj"), "--no-build", "--", .. args],
            workingDirectory: TestCluster.RepoRoot);
}
