using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>Bounded waits on the engine: after a restart it needs a moment before it answers, and a restarted
/// swarm member reports "pending" before it settles.</summary>
static class EngineWait
{
    public static async Task AnswersAsync(NodeContext ctx, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var r = await ctx.Node.RunAsync(ctx.Spec.Docker("version", "--format", "{{.Server.Version}}"), null, ct);
            if (r.Ok) return;
            if (DateTime.UtcNow > deadline)
                throw new FswException(ErrorCodes.NodeEngineNotReady,
                    $"{ErrorCodes.NodeEngineNotReady}: the engine at {ctx.Spec.DockerSocket} on {ctx.Node.Name} did not answer within " +
                    $"{limit.TotalSeconds:0} s: {Redact.Tail(r.StdErr)}. Check the engine's log on the node.");
            await Task.Delay(250, ct);
        }
    }

    public static async Task<SwarmInfo> SettledAsync(NodeContext ctx, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var info = await SwarmInfo.ReadAsync(ctx.Node, ctx.Spec, ct);
            var settling = info.LocalNodeState == "pending" || (ctx.Spec.IsManager && info.LocalNodeState == "active" && !info.ControlAvailable);
            if (!settling || DateTime.UtcNow > deadline) return info;
            await Task.Delay(250, ct);
        }
    }
}
