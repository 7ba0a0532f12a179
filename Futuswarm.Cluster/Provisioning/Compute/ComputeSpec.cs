using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>
/// What the instances need from the cluster definition: the cluster, the VPC's CIDR (manager-1's fixed address is in
/// its zone's subnet), its zones (in the network's order: node i goes to zone (i-1) mod N) and the two node groups.
/// <see cref="Validate"/> checks it with FSW6025, naming the field.
/// </summary>
public sealed record ComputeSpec(string Cluster, string Region, string VpcCidr, IReadOnlyList<string> Zones, NodeGroup Managers, NodeGroup Workers)
{
    public ClusterNames Names => new(Cluster);

    /// <summary>The VPC and zones are the network's (<c>ClusterPlanner.NetworkOf(d)</c>), so nodes land in the subnets that exist.</summary>
    public static ComputeSpec From(ClusterDefinition d, NetworkSpec network) =>
        new(d.Name, d.Region, network.VpcCidr, network.Zones, d.NodeGroups.Managers, d.NodeGroups.Workers);

    /// <summary>
    /// manager-1's private address: host 10 of the first zone's subnet (<see cref="FixedAddress"/>). Joining nodes
    /// name it in their user data, which is written before they launch, so it cannot be the address EC2 would pick;
    /// the network reserves it so that EC2 never gives it to anything else.
    /// </summary>
    public string FirstManagerAddress => FixedAddress.FirstManager(VpcCidr, Zones);

    public ComputeSpec Validate()
    {
        if (!Cidr.TryParse(VpcCidr, out var vpc) || vpc.ToString() != VpcCidr || vpc.Prefix is < 16 or > 24)
            Fail("vpcCidr", $"'{VpcCidr}' must be an IPv4 network from /16 to /24 (the network's)");
        if (Zones.Count == 0 || Zones.Distinct().Count() != Zones.Count)
            Fail("zones", "give one or more distinct zones (the network's)");
        if (Managers.Count is not (1 or 3))
            Fail("nodeGroups.managers.count", $"must be 1 or 3, not {Managers.Count}: the swarm's raft needs a majority of managers");
        if (Workers.Count is < 0 or > 100)
            Fail("nodeGroups.workers.count", $"must be 0 to 100, not {Workers.Count}");
        foreach (var (field, group) in new[] { ("managers", Managers), ("workers", Workers) })
        {
            if (string.IsNullOrWhiteSpace(group.InstanceType) || group.InstanceType.StartsWith("db.", StringComparison.Ordinal))
                Fail($"nodeGroups.{field}.instanceType", $"'{group.InstanceType}' is not an EC2 instance type");
            if (group.DiskGb is < 20 or > 16384)
                Fail($"nodeGroups.{field}.diskGb", $"must be 20 to 16384, not {group.DiskGb}");
        }
        _ = Names; // throws for an invalid cluster name
        return this;
    }

    private static void Fail(string field, string why) =>
        throw new FswException(ErrorCodes.ProvisionSpecInvalid, $"The cluster's {field}: {why}.");
}
