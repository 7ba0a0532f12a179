using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Provisioning.Operations;

namespace Futuswarm.IntegrationTests;

/// <summary>Namespace nodes standing in for a cluster's EC2 instances: each with the console output cloud-init would
/// have printed at its first boot, so RepairCluster's swarm part reads and verifies host keys as it does on AWS.</summary>
sealed class LabInstances
{
    readonly Dictionary<string, string> _consoles = new(StringComparer.Ordinal);
    readonly Dictionary<string, NetnsNode> _byInstance = new(StringComparer.Ordinal);

    /// <summary>A node as ClusterNodes lists it; <paramref name="consoleKey"/> overrides the key its console shows.</summary>
    public ClusterNode Instance(string address, string instanceId, NetnsNode node, string? consoleKey = null)
    {
        _byInstance[instanceId] = node;
        _consoles[instanceId] = $"""
            [    0.000000] Linux version 6.1.0-27-cloud-amd64
            ec2: -----BEGIN SSH HOST KEY KEYS-----
            ec2: {consoleKey ?? node.HostPublicKey}
            ec2: -----END SSH HOST KEY KEYS-----
            Cloud-init v. 22.4.2 finished
            """;
        return new ClusterNode(address, instanceId, "running", "t3.small", "eu-west-1a", node.Address, node.Address);
    }

    /// <summary>The instance is still in its first boot: cloud-init has not printed its keys to the console yet.</summary>
    public void StillBooting(string instanceId) => _consoles[instanceId] = "[    0.000000] Linux version 6.1.0-27-cloud-amd64\n";

    public ClusterSwarmRepair Repair(Action<string> log) => new(
        (id, _) => Task.FromResult(_consoles.GetValueOrDefault(id)),
        async (node, key, ct) => await _byInstance[node.InstanceId].ConnectAsync(key),
        log);

    /// <summary>The bootstrap spec of each instance, as ClusterOperations derives it: manager-1 the first manager.</summary>
    public static Func<ClusterNode, NodeSpec> SpecsFor(Dictionary<string, NetnsNode> byAddress, string managerAddress) => n =>
    {
        var name = "lab-" + n.Address["instance[".Length..^1];
        var role = n.Address == "instance[manager-1]" ? NodeRole.FirstManager : n.IsManager ? NodeRole.Manager : NodeRole.Worker;
        return byAddress[n.Address].Spec(name, role, role == NodeRole.FirstManager ? null : managerAddress,
            new Dictionary<string, string> { ["futuswarm.role"] = n.IsManager ? "manager" : "worker" });
    };
}
