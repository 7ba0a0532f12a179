using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>One of the cluster's instances as ClusterStatus shows it.</summary>
/// <param name="Address">The node's address in the plan, e.g. <c>instance[manager-1]</c>.</param>
public sealed record ClusterNode(string Address, string InstanceId, string State, string InstanceType, string? Zone, string? PublicIp, string? PrivateIp)
{
    public bool IsManager => Address.StartsWith("instance[manager-", StringComparison.Ordinal);
}

/// <summary>The cluster's instances, found by tag like every other resource: what status prints and where the API is.</summary>
public static class ClusterNodes
{
    public static async Task<IReadOnlyList<ClusterNode>> ListAsync(IEc2Instances ec2, string cluster, CancellationToken ct)
    {
        var found = await ec2.DescribeInstancesAsync([Ec2Filter.Tag(ClusterTags.Cluster, cluster)], ct);
        return found
            .Where(i => i.State is not ("terminated" or "shutting-down"))
            .Select(i => new ClusterNode(i.Tags.GetValueOrDefault(ClusterTags.Role) ?? "(untagged)", i.InstanceId, i.State, i.InstanceType,
                i.AvailabilityZone, i.PublicIp, i.PrivateIp))
            .OrderBy(n => n.IsManager ? 0 : 1).ThenBy(n => n.Address.Length).ThenBy(n => n.Address, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Where developers reach the API: the first manager's public address and the API port; null before it runs.</summary>
    public static string? ApiAddress(IReadOnlyList<ClusterNode> nodes, int apiPort) =>
        nodes.FirstOrDefault(n => n.Address == ComputeNode.Manager(1).ToString() && n.State == "running")?.PublicIp is { } ip ? $"{ip}:{apiPort}" : null;
}
