using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// The network part of the cluster, kinds in dependency order: the VPC, its internet gateway, the subnets, the
/// reservation of manager-1's address (in the first subnet, before any interface is placed there), the route table
/// (needs the gateway and the subnets), the security groups. Destroy runs them in reverse.
/// </summary>
public static class NetworkLayer
{
    public static Reconciler For(IEc2Network ec2, NetworkSpec spec)
    {
        spec.Validate();
        return new Reconciler([
            new VpcKind(ec2, spec),
            new InternetGatewayKind(ec2),
            new SubnetKind(ec2, spec),
            new CidrReservationKind(ec2, spec),
            new RouteTableKind(ec2, spec),
            new SecurityGroupKind(ec2, spec),
        ]);
    }
}
