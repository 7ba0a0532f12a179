using System.Text.Json;
using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Step c (swarm): docker_gwbridge pre-created on our own bridge name, a single-node swarm on loopback,
/// and the attachable overlay every service joins. Never re-inits; never adopts a swarm it did not create
/// unless --use-existing-swarm.</summary>
static class SwarmSetup
{
    public const string OverlayNetwork = "futuswarm";
    public const string GwBridgeName = "fswgw0";
    const string GwBridgeSubnet = "172.31.254.0/24";

    sealed record SwarmInfo(string LocalNodeState, bool ControlAvailable);

    public static async Task<StartedState> EnsureAsync(Docker docker, LocalClusterSettings s, StartedState state, ILog log,
        CancellationToken ct)
    {
        var ours = state.OwnEngine || (state.SwarmInitByUs && state.DockerSocket == docker.Socket);
        var swarm = await WaitSettledAsync(docker, ours, ct);

        switch (swarm.LocalNodeState)
        {
            case "inactive":
                state = await EnsureGwBridgeAsync(docker, s, state, log, ct);
                await docker.RunAsync(["swarm", "init", "--listen-addr", $"127.0.0.1:{PortGuard.SwarmPort}",
                    "--advertise-addr", $"127.0.0.1:{PortGuard.SwarmPort}"], ct);
                state = (state with { SwarmInitByUs = true }).Save(s.StateFile);
                log.Info("swarm: initialised (single manager on 127.0.0.1:2377)");
                break;
            case "active" when ours:
                log.Info("swarm: active (ours), skip");
                break;
            case "active" when !s.UseExistingSwarm:
                throw new BuildFailure($"FSW6002: the engine at {docker.Socket} is already in a swarm that LocalCluster did not " +
                    "create. LocalCluster never turns an existing swarm into a Futuswarm cluster unless asked: pass " +
                    "--use-existing-swarm to use it as it is, or point --engine at another engine.");
            case "active":
                log.Info("swarm: active (existing swarm, --use-existing-swarm), skip");
                break;
            case "locked":
                throw new BuildFailure($"FSW6002: the swarm on {docker.Socket} is locked; unlock it with 'docker swarm unlock' first.");
            default:
                throw new BuildFailure($"FSW6005: the swarm on {docker.Socket} is in state '{swarm.LocalNodeState}'; " +
                    "see 'docker info' and the engine log.");
        }

        var manager = swarm.LocalNodeState == "inactive" ? (await InfoAsync(docker, ct)).ControlAvailable : swarm.ControlAvailable;
        if (!manager)
            throw new BuildFailure($"FSW6002: the engine at {docker.Socket} is a swarm worker; LocalCluster needs a manager.");
        await EnsureOverlayAsync(docker, log, ct);
        return state;
    }

    /// <summary>Swarm-mode networking would create docker_gwbridge with the interface name "docker_gwbridge";
    /// creating it first with our own name keeps two engines on one host off each other's interface.</summary>
    static async Task<StartedState> EnsureGwBridgeAsync(Docker docker, LocalClusterSettings s, StartedState state, ILog log,
        CancellationToken ct)
    {
        var inspect = await docker.RunAsync(["network", "inspect", "docker_gwbridge", "--format",
            "{{index .Options \"com.docker.network.bridge.name\"}}"], ct, check: false);
        if (inspect.Ok)
        {
            log.Info($"docker_gwbridge: exists (interface {Nonempty(inspect.StdOut.Trim(), "docker_gwbridge")}), skip");
            return state;
        }
        await docker.RunAsync(["network", "create", "--driver", "bridge", "--subnet", GwBridgeSubnet,
            "--opt", "com.docker.network.bridge.name=" + GwBridgeName,
            "--opt", "com.docker.network.bridge.enable_icc=false",
            "--opt", "com.docker.network.bridge.enable_ip_masquerade=true",
            "docker_gwbridge"], ct);
        log.Info($"docker_gwbridge: created (interface {GwBridgeName}, {GwBridgeSubnet})");
        return (state with { GwBridgeInterface = GwBridgeName }).Save(s.StateFile);
    }

    static async Task EnsureOverlayAsync(Docker docker, ILog log, CancellationToken ct)
    {
        var inspect = await docker.RunAsync(["network", "inspect", OverlayNetwork, "--format",
            "{{.Driver}} {{.Attachable}} {{.Scope}}"], ct, check: false);
        if (inspect.Ok)
        {
            if (inspect.StdOut.Trim() != "overlay true swarm")
                throw new BuildFailure($"FSW6002: network '{OverlayNetwork}' exists but is '{inspect.StdOut.Trim()}' " +
                    "(driver attachable scope); it must be an attachable swarm overlay. Remove it or use another engine.");
            log.Info($"network {OverlayNetwork}: exists, skip");
            return;
        }
        await docker.RunAsync(["network", "create", "--driver", "overlay", "--attachable", OverlayNetwork], ct);
        log.Info($"network {OverlayNetwork}: created (attachable overlay)");
    }

    static async Task<SwarmInfo> InfoAsync(Docker docker, CancellationToken ct)
    {
        var json = await docker.OutAsync(ct, "info", "--format", "{{json .Swarm}}");
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return new SwarmInfo(root.GetProperty("LocalNodeState").GetString() ?? "",
            root.TryGetProperty("ControlAvailable", out var c) && c.ValueKind == JsonValueKind.True);
    }

    /// <summary>A restarted dockerd reports "pending", then "active" before its manager is back; wait for a
    /// settled state (and, on our own swarm, for the manager).</summary>
    static async Task<SwarmInfo> WaitSettledAsync(Docker docker, bool ours, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var info = await InfoAsync(docker, ct);
            var settling = info.LocalNodeState == "pending" || (ours && info.LocalNodeState == "active" && !info.ControlAvailable);
            if (!settling || DateTime.UtcNow > deadline) return info;
            await Task.Delay(250, ct);
        }
    }

    static string Nonempty(string s, string fallback) => s.Length > 0 ? s : fallback;
}
