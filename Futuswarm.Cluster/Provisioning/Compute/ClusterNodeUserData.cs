using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.CloudInit;
using BootstrapRole = Futuswarm.Cluster.Nodes.NodeRole;

namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>
/// The real user data: each node's bootstrap (<see cref="NodeBootstrap"/>) as cloud-init. manager-1 initialises the
/// swarm at its fixed address; every other node joins it there with the token it reads from its role's SSM parameter on
/// the node itself, so the text names the parameter and never holds a token. A manager-1 launched again beside running
/// managers (<see cref="ComputeNode.Rejoin"/>) joins through one of them as a manager instead. With
/// <paramref name="managerFirstBoot"/> (a provision run that put the manager bundle in the state bucket), a manager
/// also sets up its own services at first boot; without, they come over SSH.
/// </summary>
public sealed class ClusterNodeUserData(ComputeSpec spec, Operations.ManagerFirstBoot? managerFirstBoot = null) : INodeUserData
{
    public const int SwarmPort = 2377;

    public string For(ComputeNode node) => CloudInitRenderer.Render(SpecFor(node));

    /// <summary>The bootstrap's view of a node; <c>Render</c> validates it (FSW6045, e.g. a label value Docker takes but
    /// the bootstrap's rules do not).</summary>
    public NodeSpec SpecFor(ComputeNode node)
    {
        var swarm = SwarmSpecFor(node);
        return node.IsManager && managerFirstBoot is { } boot ? swarm with { ManagerServices = boot.For(node, swarm.OverlayNetwork) } : swarm;
    }

    NodeSpec SwarmSpecFor(ComputeNode node) => new()
    {
        // The node label futuswarm.node that repair matches on; the cluster's name keeps two clusters' nodes apart.
        Name = $"{spec.Cluster}-{node.Address.Name}",
        Role = node.InitialisesSwarm ? BootstrapRole.FirstManager : node.IsManager ? BootstrapRole.Manager : BootstrapRole.Worker,
        // The fixed address, so the swarm advertises what the joiners were told; others let the engine pick (one interface).
        AdvertiseAddress = node.PrivateIp,
        SwarmPort = SwarmPort,
        // A relaunched manager-1 joins through a running manager: its own fixed address has no swarm behind it yet.
        ManagerAddress = node.InitialisesSwarm ? null : $"{node.Rejoin?.PrivateIp ?? spec.FirstManagerAddress}:{SwarmPort}",
        Labels = node.Group.Labels,
        JoinTokenParameter = node.InitialisesSwarm ? null : spec.Names.JoinTokenParameter(node.IsManager),
        // The first manager publishes both tokens right after its swarm init: the nodes booting beside it wait for them.
        // A rejoining manager-1 reads the tokens the swarm's managers published (RepairCluster re-publishes them).
        PublishJoinTokens = node.InitialisesSwarm
            ? new JoinTokenParameters(spec.Names.JoinTokenParameter(false), spec.Names.JoinTokenParameter(true))
            : null,
        Region = spec.Region,
    };
}
