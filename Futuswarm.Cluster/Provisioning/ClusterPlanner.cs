using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning;

/// <summary>
/// From a cluster definition to what provisioning would do. Today the network layer (VPC, gateway, subnets, routes,
/// security groups); the other kinds join the same reconciler as they are written.
/// </summary>
public static class ClusterPlanner
{
    /// <summary>
    /// The definition's zones are its region's first N letters (a, b, ...): the plan is the same on every account.
    /// Provisioning checks them against DescribeAvailabilityZones before it creates anything.
    /// </summary>
    public static NetworkSpec NetworkOf(ClusterDefinition d) => new(
        d.Name, d.Region, d.VpcCidr.ToString(),
        Enumerable.Range(0, d.AvailabilityZones).Select(i => $"{d.Region}{(char)('a' + i)}").ToList(),
        d.AdminCidrs.Select(c => c.ToString()).ToList(), d.DeployerCidrs.Select(c => c.ToString()).ToList(), d.ApiPort, d.AllowSshFromAnywhere);

    public static Reconciler For(ClusterDefinition d, IEc2Network ec2) => NetworkLayer.For(ec2, NetworkOf(d));

    /// <summary>The readable plan: the definition with its defaults filled in, then every change and why.</summary>
    public static async Task<string> PlanTextAsync(ClusterDefinition d, IEc2Network ec2, CancellationToken ct)
    {
        var plan = await For(d, ec2).PlanAsync(new ProvisionContext(d.Name), ct);
        return $"""
            # Cluster definition, with defaults
            {ClusterDefinitionWriter.ToJson(d).TrimEnd()}

            # Plan
            {plan.ToText().TrimEnd()}

            """.Replace("\r\n", "\n");
    }
}
