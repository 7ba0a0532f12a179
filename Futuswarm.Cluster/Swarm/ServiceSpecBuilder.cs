using Docker.DotNet.Models;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Swarm;

/// <summary>
/// Turns a deploy request into a swarm ServiceSpec. Pure, so tests compare specs by value.
/// Rollouts are start-first with rollback on failure; a health check (run by the probe the SDK puts in
/// the image) keeps a new task out of DNS until it answers (DESIGN.md section 3).
/// </summary>
public static class ServiceSpecBuilder
{
    public const string ProbePath = "/app/futuswarm-probe.dll";
    public static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(3);
    public const int HealthRetries = 3;
    public static readonly TimeSpan HealthStartPeriod = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Monitor = TimeSpan.FromSeconds(3);
    /// <summary>Longer than ASP.NET Core's default 30 s shutdown timeout, so old tasks finish in-flight requests.</summary>
    public static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(35);

    /// <param name="settings">With the effective environment (project values overridden by the cluster's).</param>
    /// <param name="secrets">Files under /run/secrets; never environment variables, which leak into inspect output and child processes.</param>
    public static ServiceSpec Build(string service, string image, ServiceSettings settings, int release, string contentKey,
        string specHash, string templateHash, string network, IReadOnlyList<string> constraints, IReadOnlyList<SecretReference>? secrets = null)
    {
        var env = settings.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList();
        if (settings.Port is { } port)
        {
            env.Add($"ASPNETCORE_HTTP_PORTS={port}");
            env.Add("ASPNETCORE_FORWARDEDHEADERS_ENABLED=true");
        }

        return new ServiceSpec
        {
            Name = service,
            Labels = new Dictionary<string, string>
            {
                [Labels.Managed] = "true",
                [Labels.Release] = release.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [Labels.ContentKey] = contentKey,
                [Labels.SpecHash] = specHash,
            },
            TaskTemplate = new TaskSpec
            {
                ContainerSpec = new ContainerSpec
                {
                    Image = image,
                    Env = env,
                    Labels = new Dictionary<string, string> { [Labels.Managed] = "true", [Labels.TemplateHash] = templateHash },
                    Secrets = secrets is { Count: > 0 } ? secrets.ToList() : null,
                    StopGracePeriod = (long)StopGracePeriod.TotalNanoseconds,
                    Healthcheck = settings.Port is { } p ? HealthCheck(p, settings.HealthCheckPath) : null,
                },
                RestartPolicy = new SwarmRestartPolicy { Condition = "any", Delay = (long)TimeSpan.FromSeconds(2).TotalNanoseconds, MaxAttempts = 0 },
                Placement = new Placement { Constraints = constraints.ToList() },
                Networks = [new NetworkAttachmentConfig { Target = network }],
            },
            Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = (ulong)settings.Replicas } },
            UpdateConfig = Rollout(failureAction: "rollback"),
            RollbackConfig = Rollout(failureAction: "pause"),
            EndpointSpec = new EndpointSpec { Mode = "dnsrr" },
        };
    }

    /// <summary>Exec form, no shell: Microsoft's images have neither a shell tool nor curl.</summary>
    public static HealthConfig HealthCheck(int port, string path) => new()
    {
        Test = ["CMD", "dotnet", ProbePath, $"http://127.0.0.1:{port}{path}"],
        Interval = HealthInterval,
        Timeout = HealthTimeout,
        Retries = HealthRetries,
        StartPeriod = (long)HealthStartPeriod.TotalNanoseconds,
    };

    private static SwarmUpdateConfig Rollout(string failureAction) => new()
    {
        Parallelism = 1,
        Delay = 0,
        FailureAction = failureAction,
        Monitor = (long)Monitor.TotalNanoseconds,
        MaxFailureRatio = 0,
        Order = "start-first",
    };
}
