using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>The node is in the swarm with its role: init on the first manager, join otherwise. A node already in a
/// swarm is left alone; one in the wrong role, or locked, is an error, never re-initialised.</summary>
public sealed class SwarmMembershipStep : NodeStep
{
    public override string Name => "swarm";

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var spec = ctx.Spec;
        var info = await EngineWait.SettledAsync(ctx, ctx.SettleLimit, ct);
        switch (info.LocalNodeState)
        {
            case "active":
                if (spec.IsManager != info.ControlAvailable)
                    throw Conflict(ctx, $"is a swarm {(info.ControlAvailable ? "manager" : "worker")} but the spec says {spec.Role}");
                return Skip($"active as {(info.ControlAvailable ? "manager" : "worker")} (node {info.NodeId})");
            case "inactive":
                break;
            default:
                throw Conflict(ctx, $"is in swarm state '{info.LocalNodeState}' (locked or failed); unlock or leave the swarm by hand");
        }

        string did;
        if (spec.Role == NodeRole.FirstManager)
        {
            if (spec.GwBridge is { } gw) await GwBridge.EnsureAsync(ctx, gw, ct);
            var init = new List<string> { "swarm", "init" };
            if (spec.AdvertiseAddress is { } a)
                init.AddRange(["--advertise-addr", $"{a}:{spec.SwarmPort}", "--listen-addr", $"{a}:{spec.SwarmPort}"]);
            await ctx.MustAsync(Name, ctx.Node, spec.Docker([.. init]), ct);
            did = "initialised (first manager)";
        }
        else
        {
            await SwarmJoin.JoinAsync(ctx, ct);
            did = $"joined {spec.ManagerAddress} as {(spec.IsManager ? "manager" : "worker")}";
        }
        info = await EngineWait.SettledAsync(ctx, ctx.SettleLimit, ct);
        if (info.LocalNodeState != "active")
            throw Conflict(ctx, $"is in swarm state '{info.LocalNodeState}' right after the {(spec.Role == NodeRole.FirstManager ? "init" : "join")}");
        return Did($"{did} (node {info.NodeId})");
    }

    static FswException Conflict(NodeContext ctx, string what) =>
        new(ErrorCodes.NodeSwarmConflict, $"{ErrorCodes.NodeSwarmConflict}: the engine at {ctx.Spec.DockerSocket} on {ctx.Node.Name} {what}. " +
            "Bootstrap never re-initialises or moves a node between swarms.");

    public override void Render(NodeSpec spec, CloudConfig config)
    {
        if (spec.Role == NodeRole.FirstManager)
        {
            var init = new List<string> { "swarm", "init" };
            if (spec.AdvertiseAddress is { } a)
                init.AddRange(["--advertise-addr", $"{a}:{spec.SwarmPort}", "--listen-addr", $"{a}:{spec.SwarmPort}"]);
            config.Run(spec.Docker([.. init]));
        }
        else SwarmJoin.Render(spec, config);
    }
}
