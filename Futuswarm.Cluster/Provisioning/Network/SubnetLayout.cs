namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// Which CIDR each zone's subnet gets: the VPC is cut into sixteen equal blocks and zone <c>a</c> takes the
/// first, <c>b</c> the second, and so on. Keyed by the zone's letter, not its position in the list, so adding
/// or reordering zones never moves an existing subnet (which would mean replacing it with its nodes in it).
/// </summary>
public static class SubnetLayout
{
    public static string CidrFor(NetworkSpec spec, string zone) => CidrFor(spec.VpcCidr, zone);

    /// <summary>The same from the VPC's CIDR alone (the compute layer fixes manager-1's address in its zone's subnet).</summary>
    public static string CidrFor(string vpcCidr, string zone)
    {
        Cidr.TryParse(vpcCidr, out var vpc);
        return vpc.Subnet(vpc.Prefix + 4, zone[^1] - 'a').ToString();
    }
}
