using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Cluster.Nodes.Steps;

namespace Futuswarm.Cluster.Nodes;

/// <summary>The ordered step list and its runner. Run twice, the second run reports every step skipped.</summary>
public static class NodeBootstrap
{
    /// <summary>A manager's own services, after its swarm exists (the daemon starts the edge proxy as a swarm service);
    /// the host key before the sshd that presents it; the edge's directory and the database master before the daemon,
    /// which mounts the one when it creates the edge and uses the other. Declared before Steps, which includes it.</summary>
    public static IReadOnlyList<NodeStep> ManagerSteps { get; } =
    [
        new ManagerUsersStep(),
        new ManagerBinariesStep(),
        new ApiHostKeyStep(),
        new EdgeDirectoryStep(),
        new DatabaseMasterStep(),
        new ManagerDaemonStep(),
        new ApiSshdStep(),
    ];

    /// <summary>The order matters: the engine's settings before the swarm (a restart after init would be needless),
    /// the swarm before labels and the overlay; the join tokens published as soon as the swarm exists, since joining
    /// nodes booting beside the first manager wait for them.</summary>
    public static IReadOnlyList<NodeStep> Steps { get; } =
    [
        new DockerPresentStep(),
        new DaemonJsonStep(),
        new SwarmMembershipStep(),
        new JoinTokenPublishStep(),
        new NodeLabelsStep(),
        new OverlayNetworkStep(),
        .. ManagerSteps,
    ];

    public static Task<IReadOnlyList<StepResult>> RunAsync(NodeContext ctx, CancellationToken ct = default) => RunAsync(ctx, Steps, ct);

    /// <summary>A part of the list, in its order (the local cluster runs only the swarm steps on its own engine).</summary>
    public static async Task<IReadOnlyList<StepResult>> RunAsync(NodeContext ctx, IEnumerable<NodeStep> steps, CancellationToken ct = default)
    {
        ctx.Spec.Validate();
        var results = new List<StepResult>();
        foreach (var step in steps.Where(s => s.AppliesTo(ctx.Spec)))
        {
            var started = DateTime.UtcNow;
            var r = await step.EnsureAsync(ctx, ct);
            var ms = (DateTime.UtcNow - started).TotalMilliseconds;
            ctx.Log(r.Changed
                ? $"[{ctx.Node.Name}] {r.Step}: {r.Detail} ({ms:0} ms)"
                : $"[{ctx.Node.Name}] {r.Step}: {r.Detail}, skip ({ms:0} ms)");
            results.Add(r);
        }
        return results;
    }
}
