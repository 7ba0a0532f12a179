using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Compute;

public enum NodeRole
{
    Manager,
    Worker,
}

/// <summary>The running manager a relaunched manager-1 joins through: its node (e.g. <c>manager-2</c>) and private address.</summary>
public sealed record SwarmRejoin(string Via, string PrivateIp);

/// <summary>
/// One node the definition wants: <c>instance[manager-1]</c>..., <c>instance[worker-1]</c>... (1-based), its group and
/// its zone. The addresses are fixed words: the load balancer registers the managers by them.
/// </summary>
public sealed record ComputeNode(string Cluster, NodeRole Role, int Index, string Zone, NodeGroup Group)
{
    /// <summary>The private IPv4 address the node is launched with: manager-1's fixed one (the swarm's join address),
    /// null for every other node (EC2 picks).</summary>
    public string? PrivateIp { get; init; }

    /// <summary>manager-1: the node that initialises the swarm, at the fixed address the others join.</summary>
    public bool IsFirstManager => Role == NodeRole.Manager && Index == 1;

    /// <summary>Set on a manager-1 launched again while another manager runs: it joins that manager's swarm as a manager
    /// instead of initialising a second one. Null for every other launch.</summary>
    public SwarmRejoin? Rejoin { get; init; }

    /// <summary>The node that runs <c>swarm init</c>: manager-1, unless it rejoins a running swarm.</summary>
    public bool InitialisesSwarm => IsFirstManager && Rejoin is null;

    public const string Kind = "instance";

    /// <summary>The tag naming the node's swarm role, besides <c>futuswarm:role=instance[...]</c>.</summary>
    public const string NodeRoleTag = "futuswarm:node-role";

    /// <summary>Each of the group's labels is also an instance tag <c>futuswarm:label:&lt;key&gt;</c>.</summary>
    public const string LabelTagPrefix = "futuswarm:label:";

    public static ResourceAddress Manager(int index) => new(Kind, $"manager-{index}");
    public static ResourceAddress Worker(int index) => new(Kind, $"worker-{index}");

    public ResourceAddress Address => Role == NodeRole.Manager ? Manager(Index) : Worker(Index);

    public bool IsManager => Role == NodeRole.Manager;

    public string RoleName => IsManager ? "manager" : "worker";

    /// <summary>True for <c>instance[manager-N]</c>: what a plain apply must never replace or terminate.</summary>
    public static bool IsManagerAddress(ResourceAddress address) =>
        address.Kind == Kind && address.Name is { } name && name.StartsWith("manager-", StringComparison.Ordinal);

    /// <summary>The nodes of a spec, managers first, each group spread over the zones in order.</summary>
    public static IReadOnlyList<ComputeNode> All(ComputeSpec spec) =>
    [
        .. Enumerable.Range(1, spec.Managers.Count).Select(i => new ComputeNode(spec.Cluster, NodeRole.Manager, i, ZoneOf(spec, i), spec.Managers)
        {
            PrivateIp = i == 1 ? spec.FirstManagerAddress : null,
        }),
        .. Enumerable.Range(1, spec.Workers.Count).Select(i => new ComputeNode(spec.Cluster, NodeRole.Worker, i, ZoneOf(spec, i), spec.Workers)),
    ];

    private static string ZoneOf(ComputeSpec spec, int index) => spec.Zones[(index - 1) % spec.Zones.Count];
}
