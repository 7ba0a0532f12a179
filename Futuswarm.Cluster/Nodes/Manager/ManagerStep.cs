using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>A step of a manager's own services. These run over SSH (or on this machine), not in cloud-init: the
/// binaries come from the operator's build and the API host key from the store, which the operator opens. So
/// a manager serves the API once ProvisionCluster or RepairCluster has reached it over SSH.</summary>
public abstract class ManagerStep : NodeStep
{
    public override bool AppliesTo(NodeSpec spec) => spec.ManagerServices is not null;

    protected static ManagerServicesSpec Services(NodeContext ctx) => ctx.Spec.ManagerServices!;

    public override void Render(NodeSpec spec, CloudConfig config) { }
}
