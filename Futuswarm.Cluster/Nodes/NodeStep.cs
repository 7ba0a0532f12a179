using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes;

/// <summary>One bootstrap step: check the node, act only if needed. The same object renders its first-boot form for
/// cloud-init, so a node set up by cloud-init and one set up over SSH go through the same list.</summary>
public abstract class NodeStep
{
    public abstract string Name { get; }
    public virtual bool AppliesTo(NodeSpec spec) => true;
    public abstract Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct);

    /// <summary>Adds what this step does on a fresh instance (write_files, runcmd argv arrays).</summary>
    public abstract void Render(NodeSpec spec, CloudConfig config);

    protected StepResult Skip(string detail) => new(Name, false, detail);
    protected StepResult Did(string detail) => new(Name, true, detail);
}
