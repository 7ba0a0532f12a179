using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.LoadBalancer;

/// <summary>The addresses of the load balancer's resources, and of the manager instances it sends traffic to.</summary>
public static class LoadBalancerAddresses
{
    public static readonly ResourceAddress LoadBalancer = new("load-balancer");
    public static readonly ResourceAddress TargetGroup = new("target-group", "edge");
    public static readonly ResourceAddress HttpListener = new(ListenerKind.KindName, "http");
    public static readonly ResourceAddress HttpsListener = new(ListenerKind.KindName, "https");

    /// <summary>The instance kind's address of manager <paramref name="index"/> (1-based); its id in the context is the instance id.</summary>
    public static ResourceAddress Manager(int index) => new("instance", $"manager-{index}");

    /// <summary>Manager <paramref name="index"/>'s registration in the target group.</summary>
    public static ResourceAddress Target(int index) => new(TargetRegistrationKind.KindName, $"manager-{index}");

    /// <summary>How a plan names an id: the cluster's address when the context knows it (<c>subnet[eu-north-1a]</c>), else the id.</summary>
    public static string Label(string id, ProvisionContext ctx) => ctx.AddressOf(id)?.ToString() ?? id;
}
