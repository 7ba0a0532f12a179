using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>The attachable overlay every service joins; created on a manager (swarm-scoped, so once per swarm).</summary>
public sealed class OverlayNetworkStep : NodeStep
{
    public override string Name => "overlay";
    public override bool AppliesTo(NodeSpec spec) => spec.IsManager;

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var net = ctx.Spec.OverlayNetwork;
        var inspect = await ctx.Node.RunAsync(ctx.Spec.Docker("network", "inspect", net, "--format", "{{.Driver}} {{.Attachable}} {{.Scope}}"), null, ct);
        if (inspect.Ok)
        {
            if (inspect.StdOut.Trim() != "overlay true swarm")
                throw new FswException(ErrorCodes.NodeNetworkConflict,
                    $"{ErrorCodes.NodeNetworkConflict}: network '{net}' on {ctx.Node.Name} exists but is '{inspect.StdOut.Trim()}' " +
                    "(driver attachable scope); it must be an attachable swarm overlay. Remove it and run again.");
            return Skip($"network {net} exists (attachable overlay)");
        }
        await ctx.MustAsync(Name, ctx.Node, ctx.Spec.Docker("network", "create", "--driver", "overlay", "--attachable", net), ct);
        return Did($"network {net} created (attachable overlay)");
    }

    public override void Render(NodeSpec spec, CloudConfig config)
    {
        // Only the first manager creates it; on a joining manager it exists already (and create would fail).
        if (spec.Role == NodeRole.FirstManager)
            config.Run(spec.Docker("network", "create", "--driver", "overlay", "--attachable", spec.OverlayNetwork));
    }
}
