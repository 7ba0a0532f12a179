using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.LoadBalancer;

/// <summary>
/// The load balancer part of the cluster, kinds in dependency order: the ALB, the edge's target group, the listeners
/// (need both, and the certificate), the managers' registrations (need the group and the instances). Runs after the
/// network, access and instance layers in the same context, whose ids it uses. Destroy runs the reverse.
/// </summary>
public static class LoadBalancerLayer
{
    public static Reconciler For(IElbV2Api elb, IAcmApi acm, LoadBalancerSpec spec)
    {
        spec.Validate();
        return new Reconciler([
            new LoadBalancerKind(elb, spec),
            new TargetGroupKind(elb, spec),
            new ListenerKind(elb, acm, spec),
            new TargetRegistrationKind(elb, spec),
        ]);
    }
}
