using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.State;
using Futuswarm.Cluster.Swarm;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Edge;

/// <summary>
/// Keeps the edge proxy running and its routes whole. The daemon is the only writer of routes: it
/// derives them from the releases in the store, so a restarted proxy or daemon gets them all back.
/// </summary>
public sealed class EdgeService(DaemonConfig config, SwarmGateway swarm, ReleaseRepository releases, Action<string> log)
{
    public const string ServiceName = "futuswarm-edge";
    private readonly SemaphoreSlim _applyLock = new(1, 1);
    private string? _lastApplied;
    // The routes as last derived from the store. The daemon writes every release itself and rebuilds them then, so the
    // periodic check compares the proxy against this and reads the store (S3 on AWS) only every StoreRefresh.
    private string? _wanted;
    private DateTimeOffset _wantedAt;
    private static readonly TimeSpan StoreRefresh = TimeSpan.FromMinutes(5);

    private string AdminSocket => Path.Combine(config.Edge.StateDirectory, "admin.sock");

    public ServiceSpec BuildSpec() => new()
    {
        Name = ServiceName,
        Labels = new Dictionary<string, string> { [Labels.Managed] = "true", [Labels.Core] = "true" },
        TaskTemplate = new TaskSpec
        {
            ContainerSpec = new ContainerSpec
            {
                Image = config.Edge.Image,
                Mounts = [new Mount { Type = "bind", Source = config.Edge.StateDirectory, Target = "/run/futuswarm-edge" }],
                StopGracePeriod = (long)TimeSpan.FromSeconds(10).TotalNanoseconds,
            },
            RestartPolicy = new SwarmRestartPolicy { Condition = "any", Delay = (long)TimeSpan.FromSeconds(1).TotalNanoseconds },
            Placement = new Placement { Constraints = config.Edge.PlacementConstraints },
            Networks = [new NetworkAttachmentConfig { Target = config.Network }],
        },
        // One per manager; a host-mode port cannot be shared, so updates stop the old task first.
        Mode = new ServiceMode { Global = new GlobalService() },
        UpdateConfig = new SwarmUpdateConfig { Parallelism = 1, Order = "stop-first", FailureAction = "rollback" },
        EndpointSpec = new EndpointSpec
        {
            Mode = "dnsrr",
            Ports = [new PortConfig { Protocol = "tcp", TargetPort = 80, PublishedPort = (uint)config.Edge.PublishedPort, PublishMode = "host" }],
        },
    };

    public async Task EnsureRunningAsync(CancellationToken ct)
    {
        await swarm.EnsureOverlayNetworkAsync(config.Network, ct);
        var spec = BuildSpec();
        var existing = await swarm.InspectAsync(ServiceName, ct);
        if (existing is null)
        {
            log($"creating the edge proxy service {ServiceName} on port {config.Edge.PublishedPort}");
            await swarm.CreateAsync(spec, ct);
        }
        else if (existing.Spec.TaskTemplate.ContainerSpec.Image != spec.TaskTemplate.ContainerSpec.Image
                 || existing.Spec.EndpointSpec?.Ports?.FirstOrDefault()?.PublishedPort != (uint)config.Edge.PublishedPort)
        {
            log($"updating the edge proxy service {ServiceName}");
            await swarm.UpdateAsync(existing.ID, existing.Version.Index, spec, ct);
        }

        using var admin = new CaddyAdminClient(AdminSocket);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (!await admin.IsUpAsync(ct))
        {
            if (DateTimeOffset.UtcNow > deadline) throw new Protocol.FswException(Protocol.ErrorCodes.EngineError, $"The edge proxy did not open its admin socket {AdminSocket} within 90 s; see `docker service ps {ServiceName}`.");
            await Task.Delay(300, ct);
        }
    }

    public async Task<IReadOnlyList<Route>> CurrentRoutesAsync(CancellationToken ct)
    {
        var routes = new List<Route>();
        foreach (var service in await releases.ServicesAsync(ct))
        {
            Release? done;
            // One unreadable release must not take every other service's route (or the daemon's start) with it.
            try { done = await releases.LatestDoneAsync(service, ct); }
            catch (FswException e) when (e.Code == ErrorCodes.StateCorrupt)
            {
                log($"{service}: no route: {e.Message}");
                continue;
            }
            if (done?.Spec.Port is { } port && await swarm.InspectAsync(service, ct) is not null)
                routes.Add(new Route(service, $"{service}.{config.BaseDomain}", port, done.Spec.Access));
        }
        return routes;
    }

    /// <summary>
    /// Loads the proxy's configuration if it differs from what the proxy has. The routes are rebuilt from the store
    /// unless <paramref name="fromStore"/> is false and the last rebuild is recent (the periodic check).
    /// </summary>
    public async Task ApplyRoutesAsync(CancellationToken ct, bool force = false, bool fromStore = true)
    {
        await _applyLock.WaitAsync(ct);
        try
        {
            if (fromStore || _wanted is null || DateTimeOffset.UtcNow - _wantedAt > StoreRefresh)
            {
                _wanted = CaddyConfigBuilder.Build(await CurrentRoutesAsync(ct)).ToJsonString();
                _wantedAt = DateTimeOffset.UtcNow;
            }
            var wanted = _wanted;
            var document = JsonNode.Parse(wanted)!.AsObject();
            using var admin = new CaddyAdminClient(AdminSocket);
            if (!force && _lastApplied == wanted && await RoutesMatchAsync(admin, document, ct)) return;
            await admin.LoadAsync(document, ct);
            _lastApplied = wanted;
            log("edge routes applied");
        }
        finally { _applyLock.Release(); }
    }

    /// <summary>A restarted proxy may have come back with an older saved configuration: compare what it serves.</summary>
    private static async Task<bool> RoutesMatchAsync(CaddyAdminClient admin, JsonObject document, CancellationToken ct)
    {
        try
        {
            var actual = JsonNode.Parse(await admin.GetRoutesJsonAsync(ct));
            var wanted = document["apps"]!["http"]!["servers"]!["edge"]!["routes"];
            return JsonNode.DeepEquals(actual, wanted);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException or TaskCanceledException) { return false; }
    }
}
