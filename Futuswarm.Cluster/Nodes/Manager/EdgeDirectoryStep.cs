using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>The host directory the daemon bind-mounts into the edge proxy (its admin socket and saved routes). Docker
/// refuses a bind mount whose source is missing, and the proxy runs as an unprivileged uid that must write there, so
/// the directory exists, owned by that uid, 0750, before the daemon creates the edge service.</summary>
public sealed class EdgeDirectoryStep : ManagerStep
{
    public override string Name => "edge-dir";

    public override bool AppliesTo(NodeSpec spec) => spec.ManagerServices?.EdgeDirectory is not null;

    public override void Render(NodeSpec spec, CloudConfig config)
    {
        var edge = spec.ManagerServices!.EdgeDirectory!;
        config.Run("install", "-d", "-o", $"{edge.Uid}", "-g", $"{edge.Uid}", "-m", "0750", edge.Path);
    }

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var edge = Services(ctx).EdgeDirectory!;
        var wanted = $"{edge.Uid}:{edge.Uid}:750";
        var stat = await ctx.Node.RunAsync(["stat", "-c", "%u:%g:%a", edge.Path], null, ct);
        if (stat.Ok && stat.StdOut.Trim() == wanted) return Skip($"{edge.Path} ready ({edge.Uid}:{edge.Uid}, 0750)");
        await ctx.MustAsync(Name, ctx.Node, ["mkdir", "-p", edge.Path], ct);
        await ctx.MustAsync(Name, ctx.Node, ["chown", $"{edge.Uid}:{edge.Uid}", edge.Path], ct);
        await ctx.MustAsync(Name, ctx.Node, ["chmod", "0750", edge.Path], ct);
        return Did(stat.Ok ? $"set {edge.Path} to {edge.Uid}:{edge.Uid}, 0750" : $"created {edge.Path} ({edge.Uid}:{edge.Uid}, 0750)");
    }
}
