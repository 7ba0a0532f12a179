using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>
/// The cluster's nodes: one kind, <c>instance</c>, for managers and workers. It needs the network (subnets, security
/// groups), identity (instance profiles) and access (key pair) observed or applied earlier in the same context: the
/// caller puts these kinds first in one reconciler.
/// </summary>
public static class ComputeLayer
{
    public static Reconciler For(IEc2Instances ec2, ISsmParameters ssm, ComputeSpec spec, INodeUserData userData)
    {
        spec.Validate();
        return new Reconciler([new InstanceKind(ec2, ssm, spec, userData)]);
    }
}
