namespace Futuswarm.Cluster.Nodes;

/// <summary>Returns a swarm join token for the node's role. Called only when a join is actually needed.</summary>
public delegate Task<string> JoinTokenSource(bool manager, CancellationToken ct);

/// <summary>What the steps run against: the node, a manager (the node itself on the first manager; labels are
/// set from a manager) with its own spec (its engine socket), the validated spec, the join token source and the log.</summary>
public sealed record NodeContext(INodeShell Node, INodeShell Manager, NodeSpec Spec, JoinTokenSource? JoinToken, Action<string> Log,
    NodeSpec? ManagerNodeSpec = null)
{
    public NodeSpec ManagerSpec => ManagerNodeSpec ?? Spec;

    /// <summary>How long a restarted engine may take to settle its swarm state (and a manager to regain control).</summary>
    public TimeSpan SettleLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Runs a command that must succeed; failures name the step (FSW6046) with redacted output.</summary>
    public async Task<ShellResult> MustAsync(string step, INodeShell shell, string[] argv, CancellationToken ct)
    {
        var r = await shell.RunAsync(argv, null, ct);
        if (!r.Ok) throw NodeErrors.StepFailed(step, shell, argv, r);
        return r;
    }
}

/// <summary>One step's outcome: Changed=false means it checked and had nothing to do.</summary>
public sealed record StepResult(string Step, bool Changed, string Detail);
