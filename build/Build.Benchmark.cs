using Futuswarm.Build.Benchmarks;

namespace Futuswarm.Build;

/// <summary>Benchmark: SwarmDeploy against two manual paths (the conventional multi-stage Dockerfile, the reference;
/// host publish + a COPY Dockerfile), the no-op deploy and Demo, as figures.</summary>
partial class Build
{
    [Parameter("Benchmark: timed rounds of each deploy path (SDK, multi-stage Dockerfile, host publish + COPY), each after a code change (1-20).")]
    readonly int Rounds = 3;

    Target Benchmark => _ => _
        .Describe("Times SwarmDeploy against two manual paths, each docker build/push/service update: the conventional multi-stage " +
                  "Dockerfile (restore and publish inside docker build) and host publish + a COPY Dockerfile; the no-op deploy and Demo; " +
                  "prints a table (also artifacts/benchmark.md) and whether the goals are met. Never fails on slow numbers.")
        .DependsOn(nameof(LocalCluster), nameof(Pack))
        .Executes(async ct =>
        {
            if (Rounds is < 1 or > 20) throw new UsageException($"--rounds must be 1-20, not {Rounds}.");
            var env = BenchEnvironment.Load(LocalClusterSettings, Packages, Log);
            await new BenchmarkRun(env, Rounds).RunAsync(ct);
        });
}
