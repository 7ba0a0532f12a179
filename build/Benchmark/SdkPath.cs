using System.Text.RegularExpressions;

namespace Futuswarm.Build.Benchmarks;

/// <summary>One `dotnet publish -t:SwarmDeploy`, cut into phases at the task's log lines.</summary>
/// <param name="Total">The whole command, process start to exit.</param>
/// <param name="BuildPush">Start until "release N: updating service" (publish, content key, ask, image push, second request).</param>
/// <param name="Rollout">"release N: updating service" until "release N deployed" (the manager's start-first rollout and route).</param>
/// <param name="Ask">Start until the manager answered the first request ("the app changed"): publish, content key, one round trip.</param>
/// <param name="Outcome">deployed or unchanged.</param>
sealed record SdkTiming(double Total, double? BuildPush, double? Rollout, double? Ask, string Outcome);

static partial class SdkPath
{
    [GeneratedRegex(@": release \d+: (updating|creating) service ")]
    private static partial Regex RolloutStart();

    [GeneratedRegex(@": release \d+ deployed")]
    private static partial Regex Deployed();

    public static async Task<SdkTiming> DeployAsync(BenchEnvironment env, AppCopy app, CancellationToken ct)
    {
        var run = await TimedRun.RunAsync(env.Log, BenchEnvironment.Dotnet,
            ["publish", app.ProjectFile, "-t:SwarmDeploy", "-p:SwarmCluster=local", "-nodeReuse:false", "-nologo"],
            TimeSpan.FromMinutes(10), ct, BenchEnvironment.DotnetEnv);
        var prefix = app.ServiceName + ":";
        var start = run.At(l => l.Contains(prefix) && RolloutStart().IsMatch(l));
        var done = run.At(l => l.Contains(prefix) && Deployed().IsMatch(l));
        var ask = run.At(l => l.Contains(prefix + " the app changed"));
        var unchanged = run.Any(l => l.Contains(prefix + " unchanged"));
        var outcome = done is not null ? "deployed" : unchanged ? "unchanged" : "?";
        if (outcome == "?")
            throw new BuildFailure($"SwarmDeploy of {app.ServiceName} printed neither 'deployed' nor 'unchanged':\n  " +
                                   string.Join("\n  ", run.Lines.Select(l => l.Line).TakeLast(15)));
        return new SdkTiming(run.Elapsed.TotalSeconds, start?.TotalSeconds, (done - start)?.TotalSeconds, ask?.TotalSeconds, outcome);
    }

    /// <summary>A plain `dotnet publish -c Release` of the same project (what SwarmDeploy's Publish step does), no deploy.</summary>
    public static async Task<double> PlainPublishAsync(BenchEnvironment env, AppCopy app, CancellationToken ct)
    {
        var run = await TimedRun.RunAsync(env.Log, BenchEnvironment.Dotnet,
            ["publish", app.ProjectFile, "-c", "Release", "-nodeReuse:false", "-nologo"], TimeSpan.FromMinutes(10), ct, BenchEnvironment.DotnetEnv);
        return run.Elapsed.TotalSeconds;
    }
}
