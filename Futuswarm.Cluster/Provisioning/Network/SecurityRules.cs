using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// A rule as the definition wants it: the source is a CIDR or one of the cluster's groups by address, so the
/// plan reads "tcp 80 from security-group[lb]" before any id exists.
/// </summary>
public sealed record DesiredRule(string Protocol, int Port, string? Cidr, ResourceAddress? Group, string Description)
{
    public string Key => $"{Protocol} {Port} from {(object?)Cidr ?? Group}";

    public IngressRule Resolve(ProvisionContext ctx) =>
        new(Protocol, Port, Port, Cidr, Group is { } g ? ctx.RequireId(g) : null, Description);
}

/// <summary>
/// The cluster's security groups and their exact ingress rules. Egress stays EC2's default (all outbound), which
/// nodes need for image pulls and AWS APIs without a NAT gateway.
/// </summary>
public static class SecurityRules
{
    public const string Kind = "security-group";

    /// <summary>Every swarm node, managers and workers.</summary>
    public static readonly ResourceAddress Nodes = new(Kind, "nodes");

    /// <summary>The load balancer in front of the managers' edge proxy.</summary>
    public static readonly ResourceAddress LoadBalancer = new(Kind, "lb");

    /// <summary>Managers only (in addition to nodes): swarm management, the API, the edge proxy.</summary>
    public static readonly ResourceAddress Managers = new(Kind, "managers");

    /// <summary>The RDS PostgreSQL instance.</summary>
    public static readonly ResourceAddress Database = new(Kind, "database");

    /// <summary>In creation order: a group's sources exist before it (nodes refers to itself only).</summary>
    public static IReadOnlyList<ResourceAddress> Groups { get; } = [Nodes, LoadBalancer, Managers, Database];

    public static string Description(ResourceAddress group, string cluster) => group.Name switch
    {
        "nodes" => $"Futuswarm {cluster}: swarm nodes (gossip, overlay, SSH from admins)",
        "lb" => $"Futuswarm {cluster}: load balancer (HTTP and HTTPS from anywhere)",
        "managers" => $"Futuswarm {cluster}: managers (swarm management, API, edge behind the load balancer)",
        _ => $"Futuswarm {cluster}: PostgreSQL (from swarm nodes only)",
    };

    public static IReadOnlyList<DesiredRule> For(ResourceAddress group, NetworkSpec spec) => group.Name switch
    {
        "nodes" =>
        [
            new("tcp", 7946, null, Nodes, "swarm gossip"),
            new("udp", 7946, null, Nodes, "swarm gossip"),
            new("udp", 4789, null, Nodes, "swarm overlay (VXLAN)"),
            .. spec.AdminCidrs.Select(c => new DesiredRule("tcp", 22, c, null, "SSH from admins")),
        ],
        "managers" =>
        [
            new("tcp", 2377, null, Nodes, "swarm management"),
            .. spec.DeployerCidrs.Select(c => new DesiredRule("tcp", spec.ApiPort, c, null, "Futuswarm API from deployers")),
            new("tcp", 80, null, LoadBalancer, "edge proxy behind the load balancer"),
            new("tcp", 443, null, LoadBalancer, "edge proxy behind the load balancer"),
        ],
        "lb" =>
        [
            new("tcp", 80, "0.0.0.0/0", null, "HTTP, redirected to HTTPS"),
            new("tcp", 443, "0.0.0.0/0", null, "HTTPS"),
        ],
        "database" => [new("tcp", 5432, null, Nodes, "PostgreSQL from swarm nodes")],
        _ => [],
    };

    /// <summary>An observed rule in the same words as <see cref="DesiredRule.Key"/>; foreign groups stay ids.</summary>
    public static string KeyOf(IngressRule rule, ProvisionContext ctx)
    {
        var source = rule.CidrIp ?? (rule.SourceGroupId is { } id ? ctx.AddressOf(id)?.ToString() ?? id : "?");
        return $"{rule.Ports} from {source}";
    }
}
