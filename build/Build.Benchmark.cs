using Futuswarm.Build.Benchmarks;

namespace Futuswarm.Build;

/// <summary>Benchmark: SwarmDeploy against the manual Dockerfile path, the no-op deploy and Demo, as figures.</summary>
partial class Build
{
    [Parameter("Benchmark: timed rounds of each deploy path (SDK and manual), each after a code change (1-20).")]
    readonly int Rounds = 3;

    Target Benchmark => _ => _
        .Describe("Times SwarmDeploy against a Dockerfile + docker build/push/service update, the no-op deploy and Demo; " +
                  "prints a table (also artifacts/benchmark.md) and whether the goals are met. Never fails on slow numbers.")
        .DependsOn(nameof(LocalCluster), nameof(Pack))
        .Executes(async ct =>
        {
            if (Rounds is < 1 or > 20) throw new UsageException($"--rounds must be 1-20, not {Rounds}.");
            var env = BenchEnvironment.Load(LocalClusterSettings, Packages, Log);
            await new BenchmarkRun(env, Rounds).RunAsync(ct);
        });
}
