using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Ssh;
using Futuswarm.Cluster.Nodes.Steps;
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
/// console at first boot (cloud-init's block); an instance that has not printed one yet is left for the next run.
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
        if (running.GroupBy(n => n.Address).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new FswException(ErrorCodes.DuplicateCloudResources,
                $"{twice.Key} is tagged on {string.Join(", ", twice.Select(n => n.InstanceId))}. Terminate the extra one or remove its futuswarm:cluster tag, then run again.");
        var specs = running.ToDictionary(n => n.Address, specOf);
        var managerSpec = specs[first.Address];

        using var manager = await ConnectAsync(first, await HostKeyAsync(first, ct) ?? throw NoKeysYet(first), ct);
        // The first manager publishes the join tokens at its first boot; again here, so a rotated token or a failed
        // publish at boot does not keep new nodes out (the step writes only when SSM holds another value).
        if (managerSpec.PublishJoinTokens is not null)
            await NodeBootstrap.RunAsync(new NodeContext(manager, manager, managerSpec, null, log), [new JoinTokenPublishStep()], ct);

        // A node still in its first boot has not printed its host keys: cloud-init is joining it, and it cannot be
        // verified yet. It is left for the next run (which labels it once it has joined).
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in running.Where(n => n != first))
        {
            if (await HostKeyAsync(n, ct) is { } key) keys[n.Address] = key;
            else log($"[repair] {n.Address} ({n.InstanceId}) has not printed its host keys yet (first boot): left for the next RepairCluster");
        }
        var byName = running.Where(n => keys.ContainsKey(n.Address)).ToDictionary(n => specs[n.Address].Name);
        NodeLauncher launcher = async (wanted, c) =>
        {
            var node = byName[wanted.Name];
            log($"[repair] {node.Address} ({node.InstanceId}) is not in the swarm: bootstrapping it");
            return new LaunchedNode(await ConnectAsync(node, keys[node.Address], c), wanted);
        };
        var desired = byName.Values.Select(n => specs[n.Address]).ToList();
        return await new SwarmRepair(manager, managerSpec, desired, launcher, SwarmRepair.FromManager(manager, managerSpec), log).RunAsync(ct);
    }

    private Task<string?> HostKeyAsync(ClusterNode node, CancellationToken ct) => ConsoleHostKey.ReadAsync(console, node, ct);

    private static FswException NoKeysYet(ClusterNode node) => new(ErrorCodes.ConsoleHostKeysMissing,
        $"{node.Address} ({node.InstanceId}) has not printed its SSH host keys to the EC2 console yet, so it cannot be verified. Run RepairCluster again in a minute.");

    private Task<INodeShell> ConnectAsync(ClusterNode node, string key, CancellationToken ct) => connect(node, key, ct);

    /// <summary>The real console: EC2's.</summary>
    public static ConsoleReader Ec2(IEc2Instances ec2) => ec2.GetConsoleOutputAsync;

    /// <summary>FSW6057 unless <paramref name="privateKeyFile"/> is a private key SSH.NET can use: checked before a repair changes anything.</summary>
    public static void CheckKey(string privateKeyFile)
    {
        string? why = null;
        if (!File.Exists(privateKeyFile)) why = "there is no such file";
        else
        {
            try { using var _ = new Renci.SshNet.PrivateKeyFile(privateKeyFile); }
            catch (Exception e) when (e is Renci.SshNet.Common.SshException or Renci.SshNet.Common.SshPassPhraseNullOrEmptyException or ArgumentException or IOException or InvalidOperationException)
            {
                why = e is Renci.SshNet.Common.SshPassPhraseNullOrEmptyException ? "it has a passphrase" : "it is not a private key SSH can read";
            }
        }
        if (why is not null)
            throw new FswException(ErrorCodes.SshKeyUnusable,
                $"--ssh-key {privateKeyFile} cannot be used: {why}. Pass the private key of the nodes' key pair (the definition's first admin's first key), without a passphrase. Nothing was changed.");
    }

    /// <summary>The real connector: SSH to the node's public address as root with the operator's key (the nodes' EC2 key pair).</summary>
    public static NodeConnector Ssh(string privateKeyFile) => async (node, key, ct) =>
        await SshNodeShell.ConnectAsync(node.PublicIp ?? throw new FswException(ErrorCodes.ClusterStateMissing,
            $"{node.Address} ({node.InstanceId}) has no public address: the nodes are reached over SSH from the admin CIDRs."), 22, "root", privateKeyFile, key, ct);
}
