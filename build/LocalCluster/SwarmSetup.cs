using System.Text.Json;
using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Steps;
using Futuswarm.Protocol;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Step c (swarm): docker_gwbridge pre-created on our own bridge name, a single-node swarm on loopback,
/// and the attachable overlay every service joins. Never re-inits; never adopts a swarm it did not create
/// unless --use-existing-swarm. The init and the overlay are the node bootstrap's own steps
/// (Futuswarm.Cluster/Nodes), run here through LocalNodeShell; the refusals are the local cluster's policy.</summary>
static class SwarmSetup
{
    public const string OverlayNetwork = "futuswarm";
    public const string GwBridgeName = "fswgw0";
    const string GwBridgeSubnet = "172.31.254.0/24";

    sealed record SwarmInfo(string LocalNodeState, bool ControlAvailable);

    static readonly NodeStep[] Steps = [new SwarmMembershipStep(), new OverlayNetworkStep()];

    public static async Task<StartedState> EnsureAsync(Docker docker, LocalClusterSettings s, StartedState state, ILog log,
        CancellationToken ct)
    {
        var ours = state.OwnEngine || (state.SwarmInitByUs && state.DockerSocket == docker.Socket);
        var swarm = await WaitSettledAsync(docker, ours, ct);

        var gwBridgeExisted = true;
        switch (swarm.LocalNodeState)
        {
            case "inactive":
                gwBridgeExisted = (await docker.RunAsync(["network", "inspect", "docker_gwbridge"], ct, check: false)).Ok;
                break;
            case "active" when ours:
                break;
            case "active" when !s.UseExistingSwarm:
                throw new BuildFailure($"FSW6002: the engine at {docker.Socket} is already in a swarm that LocalCluster did not " +
                    "create. LocalCluster never turns an existing swarm into a Futuswarm cluster unless asked: pass " +
                    "--use-existing-swarm to use it as it is, or point --engine at another engine.");
            case "active":
                log.Info("swarm: active (existing swarm, --use-existing-swarm)");
                break;
            case "locked":
                throw new BuildFailure($"FSW6002: the swarm on {docker.Socket} is locked; unlock it with 'docker swarm unlock' first.");
            default:
                throw new BuildFailure($"FSW6005: the swarm on {docker.Socket} is in state '{swarm.LocalNodeState}'; " +
                    "see 'docker info' and the engine log.");
        }
        if (swarm.LocalNodeState == "active" && !swarm.ControlAvailable)
            throw new BuildFailure($"FSW6002: the engine at {docker.Socket} is a swarm worker; LocalCluster needs a manager.");

        var spec = new NodeSpec
        {
            Name = "local",
            Role = NodeRole.FirstManager,
            AdvertiseAddress = "127.0.0.1",
            SwarmPort = PortGuard.SwarmPort,
            DockerCli = docker.Cli,
            DockerSocket = docker.Socket,
            OverlayNetwork = OverlayNetwork,
            GwBridge = new GwBridgeSpec(GwBridgeName, GwBridgeSubnet),
        };
        using var shell = new LocalNodeShell();
        IReadOnlyList<StepResult> results;
        try
        {
            results = await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, log.Info), Steps, ct);
        }
        catch (FswException e) when (e.Code == ErrorCodes.NodeNetworkConflict)
        {
            throw new BuildFailure($"FSW6002: {e.Message[(e.Code.Length + 2)..]}"); // the local cluster's code for a foreign setup
        }
        catch (FswException e)
        {
            throw new BuildFailure(e.Message, e);
        }
        finally
        {
            // Recorded even if the init failed after it: the interface is ours to delete when our engine stops.
            if (!gwBridgeExisted && (await docker.RunAsync(["network", "inspect", "docker_gwbridge"], CancellationToken.None, check: false)).Ok)
                state = (state with { GwBridgeInterface = GwBridgeName }).Save(s.StateFile);
        }

        if (results.Single(r => r.Step == "swarm").Changed)
            state = (state with { SwarmInitByUs = true }).Save(s.StateFile);
        return state;
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
}
