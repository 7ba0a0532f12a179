using System.Text.RegularExpressions;

namespace Futuswarm.Build.Benchmarks;

/// <summary>The swarm side both manual paths share: a repository, `docker push`, and a service created with the same
/// update config and health check as the manager's specs (ServiceSpecBuilder), rolled with `docker service update
/// --detach=false`.</summary>
sealed partial class ManualService(BenchEnvironment env, string name)
{
    static readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The docker CLI's legacy builder, as the issue's manual path uses it.</summary>
    public static IReadOnlyDictionary<string, string?> LegacyBuilder { get; } = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "0" };

    public string Name => name;
    public string Repository => $"{env.Registry}/{name}";

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex PushedDigest();

    /// <summary>docker push; returns the digest reference to deploy and the push time.</summary>
    public async Task<(string Image, double Seconds)> PushAsync(string tag, CancellationToken ct)
    {
        var push = await DockerAsync(["push", tag], TimeSpan.FromMinutes(5), ct);
        var digest = push.Lines.Select(l => PushedDigest().Match(l.Line)).FirstOrDefault(m => m.Success)?.Groups[1].Value
            ?? throw new BuildFailure($"docker push {tag} printed no digest.");
        return ($"{Repository}@{digest}", push.Elapsed.TotalSeconds);
    }

    /// <summary>Round 0, untimed: the service, created the way the manager creates one.</summary>
    public async Task CreateAsync(string image, CancellationToken ct) =>
        await DockerAsync([
            "service", "create", "--name", name, "--detach=false", "--quiet",
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
        var run = await DockerAsync(["service", "update", "--image", image, "--detach=false", name], RolloutTimeout, ct);
        if (run.Any(l => l.Contains("rolling back", StringComparison.OrdinalIgnoreCase) || l.Contains("rollback", StringComparison.OrdinalIgnoreCase)))
            throw new BuildFailure($"docker service update {name} rolled back; see --verbose.");
        return run.Elapsed.TotalSeconds;
    }

    /// <summary>The health check runs this probe from /app; both manual paths copy it there from the packed SDK.</summary>
    public static void CopyProbe(BenchEnvironment env, string toDirectory)
    {
        foreach (var f in new[] { "futuswarm-probe.dll", "futuswarm-probe.runtimeconfig.json" })
        {
            var to = Path.Combine(toDirectory, f);
            if (!File.Exists(to)) File.Copy(Path.Combine(env.SdkPackageDirectory, "tools", "probe", f), to);
        }
    }

    public Task<TimedRun> DockerAsync(IEnumerable<string> args, TimeSpan timeout, CancellationToken ct, IReadOnlyDictionary<string, string?>? extraEnv = null) =>
        TimedRun.RunAsync(env.Log, env.DockerCli, ["-H", "unix://" + env.Socket, .. args], timeout, ct, extraEnv);
}
