using System.Globalization;
using System.Text.RegularExpressions;

namespace Futuswarm.Build.Benchmarks;

/// <summary>`./build.sh Demo` end to end: wall time, the deploy time Demo itself prints, and what the deploy did.</summary>
sealed record DemoTiming(double Total, double? Deploy, string Outcome);

static partial class DemoRuns
{
    [GeneratedRegex(@"deployed in (\d+(?:\.\d+)?) s")]
    private static partial Regex DeployedIn();

    /// <summary>Runs ./build.sh Demo with this run's cluster parameters (it brings up nothing new: the cluster is up).</summary>
    public static async Task<DemoTiming> RunAsync(BenchEnvironment env, CancellationToken ct)
    {
        var s = env.Cluster;
        var args = new List<string> { "Demo", "--dir", s.Root, "--edge-port", s.EdgePort.ToString(CultureInfo.InvariantCulture) };
        if (s.Engine is not null) args.AddRange(["--engine", s.Engine]);
        if (s.UseExistingSwarm) args.Add("--use-existing-swarm");
        var run = await TimedRun.RunAsync(env.Log, Path.Combine(BuildBase.RootDirectory, "build.sh"), args, TimeSpan.FromMinutes(15), ct);
        var deploy = run.Lines.Select(l => DeployedIn().Match(l.Line)).FirstOrDefault(m => m.Success) is { } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : (double?)null;
        var outcome = run.Any(l => l.Contains("hello-swarm: unchanged")) ? "unchanged"
            : run.Any(l => l.Contains("hello-swarm: release") && l.Contains(" deployed")) ? "deployed" : "?";
        return new DemoTiming(run.Elapsed.TotalSeconds, deploy, outcome);
    }
}
