using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.LoadBalancer;

/// <summary>
/// What the load balancer needs from the cluster definition. Subnet, security group, VPC, certificate and instance
/// ids come from the same run's context (the network, access and instance layers run first), never from here.
/// </summary>
/// <param name="Cluster">The cluster's name: the value of every resource's <c>futuswarm:cluster</c> tag.</param>
/// <param name="BaseDomain">The wildcard certificate's domain; its address names the certificate in the context.</param>
/// <param name="ManagerCount">1 or 3: the managers run the edge proxy and are the target group's targets.</param>
/// <param name="Zones">The cluster's zones; the load balancer spans the subnet of each.</param>
public sealed record LoadBalancerSpec(string Cluster, string BaseDomain, int ManagerCount, IReadOnlyList<string> Zones)
{
    public ClusterNames Names => new(Cluster);

    public LoadBalancerSpec Validate()
    {
        if (DefinitionRules.CheckName(Cluster) is { } reason) Fail("cluster", $"'{Cluster}': {reason}");
        if (ManagerCount is not (1 or 3))
            Fail("managers", $"{ManagerCount} managers: give 1 or 3 (the swarm's Raft quorum; the load balancer's targets)");
        if (Zones.Count < 2 || Zones.Distinct().Count() != Zones.Count)
            Fail("zones", "an application load balancer needs subnets in two or more distinct zones");
        if (string.IsNullOrWhiteSpace(BaseDomain) || BaseDomain.StartsWith("*.", StringComparison.Ordinal))
            Fail("baseDomain", $"'{BaseDomain}' must be a domain such as apps.example.com (the certificate adds the wildcard)");
        return this;
    }

    private static void Fail(string field, string why) =>
        throw new FswException(ErrorCodes.LoadBalancerSpecInvalid, $"The load balancer's {field}: {why}. Fix it in the cluster definition and run again.");
}
