using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>
/// What the instances need from the cluster definition: the cluster, its zones (in the network's order: node i goes to
/// zone (i-1) mod N) and the two node groups. <see cref="Validate"/> checks it with FSW6025, naming the field.
/// </summary>
public sealed record ComputeSpec(string Cluster, string Region, IReadOnlyList<string> Zones, NodeGroup Managers, NodeGroup Workers)
{
    public ClusterNames Names => new(Cluster);

    /// <summary>The zones are the network's (<c>ClusterPlanner.NetworkOf(d).Zones</c>), so nodes land in the subnets that exist.</summary>
    public static ComputeSpec From(ClusterDefinition d, IReadOnlyList<string> zones) =>
        new(d.Name, d.Region, zones, d.NodeGroups.Managers, d.NodeGroups.Workers);

    public ComputeSpec Validate()
    {
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
