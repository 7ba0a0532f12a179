using System.Text.RegularExpressions;

namespace Futuswarm.Build.Benchmarks;

/// <summary>One manual deploy: publish, docker build, docker push (the three are "build and push"), service update.</summary>
sealed record ManualTiming(double Publish, double Build, double Push, double Rollout)
{
    public double BuildPush => Publish + Build + Push;
    public double Total => BuildPush + Rollout;
}

/// <summary>The path Futuswarm replaces: a framework-dependent publish, a Dockerfile on the local base image,
/// the docker CLI's legacy builder, push, and `docker service update --detach=false` on a service with the same
/// update config and health check as the manager's specs (ServiceSpecBuilder).</summary>
sealed partial class ManualPath(BenchEnvironment env, AppCopy app)
{
    static readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(3);
    string Context => Path.Combine(env.WorkDir, "manual-publish");
    string Dockerfile => Path.Combine(env.WorkDir, "Dockerfile.manual");
    string Repository => $"{env.Registry}/{app.ServiceName}";

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex PushedDigest();

    /// <summary>Publish, build and push round <paramref name="round"/>'s image; returns the digest reference and the times.</summary>
    public async Task<(string Image, double Publish, double Build, double Push)> BuildAndPushAsync(int round, CancellationToken ct)
    {
        var publish = await TimedRun.RunAsync(env.Log, BenchEnvironment.Dotnet,
            ["publish", app.ProjectFile, "-c", "Release", "-o", Context, "-nodeReuse:false", "-nologo"],
            TimeSpan.FromMinutes(10), ct, BenchEnvironment.DotnetEnv);
        CopyProbe(); // the SDK already adds it to every publish; copied here only if a publish lacks it
        await File.WriteAllTextAsync(Dockerfile,
            $"FROM {env.BaseImage}\nWORKDIR /app\nCOPY . .\nUSER 1654\nENTRYPOINT [\"dotnet\", \"HelloSwarm.dll\"]\n", ct);

        var tag = $"{Repository}:r{round}";
        var build = await Docker(["build", "-f", Dockerfile, "-t", tag, Context], TimeSpan.FromMinutes(5), ct,
            new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "0" });
        var push = await Docker(["push", tag], TimeSpan.FromMinutes(5), ct);
        var digest = push.Lines.Select(l => PushedDigest().Match(l.Line)).FirstOrDefault(m => m.Success)?.Groups[1].Value
            ?? throw new BuildFailure($"docker push {tag} printed no digest.");
        return ($"{Repository}@{digest}", publish.Elapsed.TotalSeconds, build.Elapsed.TotalSeconds, push.Elapsed.TotalSeconds);
    }

    /// <summary>Round 0, untimed: the service, created the way the manager creates one.</summary>
    public async Task CreateAsync(string image, CancellationToken ct) =>
        await Docker([
            "service", "create", "--name", app.ServiceName, "--detach=false", "--quiet",
            "--label", "futuswarm.benchmark=true", "--replicas", "1",
            "--network", env.Network, "--endpoint-mode", "dnsrr",
            "--env", "HELLO_GREETING=Hello from HelloSwarm", "--env", "ASPNETCORE_HTTP_PORTS=8080", "--env", "ASPNETCORE_FORWARDEDHEADERS_ENABLED=true",
            // CMD-SHELL (the CLI has no exec form); the manager's spec runs the same probe in exec form.
            "--health-cmd", "dotnet /app/futuswarm-probe.dll http://127.0.0.1:8080/health",
            "--health-interval", "1s", "--health-timeout", "3s", "--health-retries", "3", "--health-start-period", "30s",
            "--update-order", "start-first", "--update-failure-action", "rollback", "--update-monitor", "3s",
            "--update-parallelism", "1", "--update-delay", "0s", "--update-max-failure-ratio", "0",
            "--rollback-order", "start-first", "--rollback-failure-action", "pause", "--rollback-monitor", "3s", "--rollback-parallelism", "1",
            "--restart-condition", "any", "--restart-delay", "2s", "--restart-max-attempts", "0", "--stop-grace-period", "35s",
            image,
        ], RolloutTimeout, ct);

    /// <summary>The timed rollout: returns when the CLI does (new task healthy, monitor period over).</summary>
    public async Task<double> UpdateAsync(string image, CancellationToken ct)
    {
        var run = await Docker(["service", "update", "--image", image, "--detach=false", app.ServiceName], RolloutTimeout, ct);
        if (run.Any(l => l.Contains("rolling back", StringComparison.OrdinalIgnoreCase) || l.Contains("rollback", StringComparison.OrdinalIgnoreCase)))
            throw new BuildFailure($"docker service update {app.ServiceName} rolled back; see --verbose.");
        return run.Elapsed.TotalSeconds;
    }

    void CopyProbe()
    {
        foreach (var f in new[] { "futuswarm-probe.dll", "futuswarm-probe.runtimeconfig.json" })
        {
            var to = Path.Combine(Context, f);
            if (!File.Exists(to)) File.Copy(Path.Combine(env.SdkPackageDirectory, "tools", "probe", f), to);
        }
    }

    Task<TimedRun> Docker(IEnumerable<string> args, TimeSpan timeout, CancellationToken ct, IReadOnlyDictionary<string, string?>? extraEnv = null) =>
        TimedRun.RunAsync(env.Log, env.DockerCli, ["-H", "unix://" + env.Socket, .. args], timeout, ct, extraEnv);
}
