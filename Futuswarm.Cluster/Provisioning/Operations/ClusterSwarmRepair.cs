using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Ssh;
using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>Opens a shell on a node whose host key is known (from its console): SSH on AWS, the test bed's namespaces in tests.</summary>
public delegate Task<INodeShell> NodeConnector(ClusterNode node, string expectedHostKey, CancellationToken ct);

/// <summary>An instance's console output (EC2 GetConsoleOutput), or null while it has none.</summary>
public delegate Task<string?> ConsoleReader(string instanceId, CancellationToken ct);

/// <summary>
/// The swarm part of RepairCluster on the cluster's instances. The resource repair has already launched an instance
/// for every missing node, so "launching a replacement" here means connecting to the instance that now stands for the
/// node and running the bootstrap on it. Every connection verifies the host key the instance printed to its EC2
/// console at first boot (cloud-init's block); an instance that has not printed one yet is not connected to.
/// </summary>
public sealed class ClusterSwarmRepair(ConsoleReader console, NodeConnector connect, Action<string> log)
{
    /// <param name="nodes">The cluster's instances (ClusterNodes.ListAsync), after the resource repair.</param>
    /// <param name="specOf">The bootstrap spec of a node, by its address (e.g. <c>instance[worker-2]</c>), with its instance's private address.</param>
    public async Task<RepairReport> RunAsync(IReadOnlyList<ClusterNode> nodes, Func<ClusterNode, NodeSpec> specOf, CancellationToken ct)
    {
        var first = nodes.FirstOrDefault(n => n.Address == ComputeNode.Manager(1).ToString() && n.State == "running")
            ?? throw new FswException(ErrorCodes.ClusterStateMissing,
                "The first manager (instance[manager-1]) does not run, so the swarm cannot be repaired from it. Run RepairCluster again once it runs (the resource repair launches it).");
        var running = nodes.Where(n => n.State == "running").ToList();
        var specs = running.ToDictionary(n => n.Address, specOf);
        var managerSpec = specs[first.Address];
        var byName = running.ToDictionary(n => specs[n.Address].Name);

        using var manager = await ConnectAsync(first, ct);
        NodeLauncher launcher = async (wanted, c) =>
        {
            var node = byName[wanted.Name];
            log($"[repair] {node.Address} ({node.InstanceId}) is not in the swarm: bootstrapping it");
            return new LaunchedNode(await ConnectAsync(node, c), wanted);
        };
        var desired = running.Where(n => n != first).Select(n => specs[n.Address]).ToList();
        return await new SwarmRepair(manager, managerSpec, desired, launcher, SwarmRepair.FromManager(manager, managerSpec), log).RunAsync(ct);
    }

    private async Task<INodeShell> ConnectAsync(ClusterNode node, CancellationToken ct)
    {
        var output = await console(node.InstanceId, ct);
        var keys = output is null ? null : ConsoleHostKeys.Parse(output);
        if (keys is null || keys.Count == 0)
            throw new FswException(ErrorCodes.ConsoleHostKeysMissing,
                $"{node.Address} ({node.InstanceId}) has not printed its SSH host keys to the EC2 console yet, so it cannot be verified. Run RepairCluster again in a minute.");
        // The strongest type the node printed: ed25519 when there is one.
        var key = keys.FirstOrDefault(k => k.StartsWith("ssh-ed25519 ", StringComparison.Ordinal)) ?? keys[0];
        return await connect(node, key, ct);
    }

    /// <summary>The real console: EC2's.</summary>
    public static ConsoleReader Ec2(IEc2Instances ec2) => ec2.GetConsoleOutputAsync;

    /// <summary>The real connector: SSH to the node's public address as root with the operator's key (the nodes' EC2 key pair).</summary>
    public static NodeConnector Ssh(string privateKeyFile) => async (node, key, ct) =>
        await SshNodeShell.ConnectAsync(node.PublicIp ?? throw new FswException(ErrorCodes.ClusterStateMissing,
            $"{node.Address} ({node.InstanceId}) has no public address: the nodes are reached over SSH from the admin CIDRs."), 22, "root", privateKeyFile, key, ct);
}
