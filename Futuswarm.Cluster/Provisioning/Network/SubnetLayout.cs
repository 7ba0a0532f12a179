namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// Which CIDR each zone's subnet gets: the VPC is cut into sixteen equal blocks and zone <c>a</c> takes the
/// first, <c>b</c> the second, and so on. Keyed by the zone's letter, not its position in the list, so adding
/// or reordering zones never moves an existing subnet (which would mean replacing it with its nodes in it).
/// </summary>
public static class SubnetLayout
{
    public static string CidrFor(NetworkSpec spec, string zone)
    {
        Cidr.TryParse(spec.VpcCidr, out var vpc);
        return vpc.Subnet(vpc.Prefix + 4, zone[^1] - 'a').ToString();
    }
}
