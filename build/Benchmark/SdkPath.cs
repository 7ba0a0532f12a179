using System.Text.RegularExpressions;

namespace Futuswarm.Build.Benchmarks;

/// <summary>One `dotnet publish -t:SwarmDeploy`, cut into phases at its log lines (seconds; null when a line is missing).</summary>
/// <param name="Total">The whole command, process start to exit.</param>
/// <param name="BuildPush">Start until "release N: updating service": publish, content key, registry lookup, image push, the deploy request.</param>
/// <param name="Rollout">"release N: updating service" until "release N deployed": the manager's start-first rollout and route.</param>
/// <param name="Publish">Start until MSBuild printed the publish folder (restore, compile, publish).</param>
/// <param name="KeyAndAsk">Publish folder until the decision ("publishing its image" or "unchanged"): content key and the registry lookup of its tag.</param>
/// <param name="ImagePush">"publishing its image" until "Pushed image": the SDK's PublishContainer (layer, upload, manifest).</param>
/// <param name="Outcome">deployed or unchanged.</param>
sealed record SdkTiming(double Total, double? BuildPush, double? Rollout, double? Publish, double? KeyAndAsk, double? ImagePush, string Outcome);

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
        var published = run.At(l => l.Contains(" -> ") && l.TrimEnd().EndsWith("/publish/", StringComparison.Ordinal));
        var changed = run.At(l => l.Contains(prefix) && l.Contains("publishing its image"));
        var unchanged = run.At(l => l.Contains(prefix + " unchanged"));
        var pushed = run.At(l => l.TrimStart().StartsWith("Pushed image ", StringComparison.Ordinal));
        var start = run.At(l => l.Contains(prefix) && RolloutStart().IsMatch(l));
        var done = run.At(l => l.Contains(prefix) && Deployed().IsMatch(l));
        var outcome = done is not null ? "deployed" : unchanged is not null ? "unchanged" : "?";
        if (outcome == "?")
            throw new BuildFailure($"SwarmDeploy of {app.ServiceName} printed neither 'deployed' nor 'unchanged':\n  " +
                                   string.Join("\n  ", run.Lines.Select(l => l.Line).TakeLast(15)));
        return new SdkTiming(run.Elapsed.TotalSeconds, start?.TotalSeconds, (done - start)?.TotalSeconds,
            published?.TotalSeconds, ((changed ?? unchanged) - published)?.TotalSeconds, (pushed - changed)?.TotalSeconds, outcome);
    }

    /// <summary>A plain `dotnet publish -c Release` of the same project (what SwarmDeploy's Publish step does), no deploy.</summary>
    public static async Task<double> PlainPublishAsync(BenchEnvironment env, AppCopy app, CancellationToken ct)
    {
        var run = await TimedRun.RunAsync(env.Log, BenchEnvironment.Dotnet,
            ["publish", app.ProjectFile, "-c", "Release", "-nodeReuse:false", "-nologo"], TimeSpan.FromMinutes(10), ct, BenchEnvironment.DotnetEnv);
        return run.Elapsed.TotalSeconds;
    }
}
