using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>The addresses of the network's resources, shared by the kinds that refer to each other.</summary>
public static class NetworkAddresses
{
    public static readonly ResourceAddress Vpc = new("vpc");
    public static readonly ResourceAddress InternetGateway = new("internet-gateway");
    public static readonly ResourceAddress RouteTable = new("route-table", "public");

    /// <summary>The reservation of manager-1's fixed address in the first zone's subnet.</summary>
    public static readonly ResourceAddress FirstManagerReservation = new("subnet-cidr-reservation", "manager-1");

    public static ResourceAddress Subnet(string zone) => new("subnet", zone);

    /// <summary>The cluster-tag filter every observation starts from.</summary>
    public static IReadOnlyList<Ec2Filter> Ours(ProvisionContext ctx) => [Ec2Filter.Tag(ClusterTags.Cluster, ctx.Cluster)];
}
