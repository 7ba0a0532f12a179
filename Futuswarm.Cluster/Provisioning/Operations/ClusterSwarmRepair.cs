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
/// console at first boot (cloud-init's block); an instance that has not printed one yet is left for the next run. The
/// repair runs from an active swarm manager, manager-1 first, another manager when manager-1 was lost and relaunched.
/// </summary>
public sealed class ClusterSwarmRepair(ConsoleReader console, NodeConnector connect, Action<string> log)
{
    /// <param name="nodes">The cluster's instances (ClusterNodes.ListAsync), after the resource repair.</param>
    /// <param name="specOf">The bootstrap spec of a node, by its address (e.g. <c>instance[worker-2]</c>), with its instance's private address.</param>
    public async Task<RepairReport> RunAsync(IReadOnlyList<ClusterNode> nodes, Func<ClusterNode, NodeSpec> specOf, CancellationToken ct)
    {
        var running = nodes.Where(n => n.State == "running").ToList();
        if (running.GroupBy(n => n.Address).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new FswException(ErrorCodes.DuplicateCloudResources,
                $"{twice.Key} is tagged on {string.Join(", ", twice.Select(n => n.InstanceId))}. Terminate the extra one or remove its futuswarm:cluster tag, then run again.");
        var specs = running.ToDictionary(n => n.Address, specOf);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in running)
        {
            // A node still in its first boot has not printed its host keys: cloud-init is joining it, and it cannot be
            // verified yet. It is left for the next run (which labels it once it has joined).
            if (await HostKeyAsync(n, ct) is { } key) keys[n.Address] = key;
            else log($"[repair] {n.Address} ({n.InstanceId}) has not printed its host keys yet (first boot): left for the next RepairCluster");
        }

        var outside = new HashSet<string>(StringComparer.Ordinal);
        var (source, manager) = await RepairSourceAsync(running, specs, keys, outside, ct);
        using (manager)
        {
            var managerSpec = specs[source.Address];
            // The first manager publishes the join tokens at its first boot; again here, from the manager the repair runs
            // on (manager-1 may be the one lost), so a rotated token or a failed publish at boot does not keep new nodes
            // out (the step writes only when SSM holds another value).
            if (managerSpec.PublishJoinTokens is not null)
                await NodeBootstrap.RunAsync(new NodeContext(manager, manager, managerSpec, null, log), [new JoinTokenPublishStep()], ct);

            var byName = running.Where(n => n != source && keys.ContainsKey(n.Address)).ToDictionary(n => specs[n.Address].Name);
            NodeLauncher launcher = async (wanted, c) =>
            {
                var node = byName[wanted.Name];
                log($"[repair] {node.Address} ({node.InstanceId}) is not in the swarm: bootstrapping it");
                return new LaunchedNode(await ConnectAsync(node, keys[node.Address], c), wanted);
            };
            var desired = byName.Values.Select(n => JoinThrough(specs[n.Address], source, managerSpec)).ToList();
            return await new SwarmRepair(manager, managerSpec, desired, launcher, SwarmRepair.FromManager(manager, managerSpec), log, outside).RunAsync(ct);
        }
    }

    /// <summary>
    /// The manager to repair from: the first running one, manager-1 first, that printed its host keys, answers over
    /// verified SSH and is an active swarm manager. A host key that does not verify stops the run (FSW1001/FSW1002);
    /// a manager that is not in the swarm (a relaunched manager-1 whose join failed) or does not answer is passed over.
    /// The addresses of those found in no swarm at all go to <paramref name="outside"/>.
    /// </summary>
    private async Task<(ClusterNode Node, INodeShell Shell)> RepairSourceAsync(IReadOnlyList<ClusterNode> running,
        IReadOnlyDictionary<string, NodeSpec> specs, IReadOnlyDictionary<string, string> keys, ISet<string> outside, CancellationToken ct)
    {
        var candidates = running.Where(n => n.IsManager).OrderBy(n => n.Address.Length).ThenBy(n => n.Address, StringComparer.Ordinal).ToList();
        var passed = new List<string>();
        var unverified = new List<ClusterNode>();
        foreach (var n in candidates)
        {
            if (!keys.TryGetValue(n.Address, out var key)) { unverified.Add(n); continue; }
            INodeShell shell;
            try
            {
                shell = await ConnectAsync(n, key, ct);
            }
            catch (Exception e) when (e is not (FswException or OperationCanceledException))
            {
                passed.Add($"{n.Address}: unreachable ({e.GetType().Name}: {e.Message})");
                log($"[repair] {n.Address} ({n.InstanceId}) cannot be reached ({e.Message}): trying the next manager");
                continue;
            }
            SwarmInfo self;
            try
            {
                self = await SwarmNodes.SelfAsync(shell, specs[n.Address], ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Its engine does not answer (docker info failed): another manager can still repair.
                shell.Dispose();
                passed.Add($"{n.Address}: its engine does not answer ({e.Message})");
                log($"[repair] {n.Address} ({n.InstanceId}): docker info failed ({e.Message}): trying the next manager");
                continue;
            }
            if (self.LocalNodeState == "active" && self.ControlAvailable)
            {
                log($"[repair] repairing the swarm from {n.Address} ({n.InstanceId})");
                return (n, shell);
            }
            shell.Dispose();
            if (self.LocalNodeState == "inactive" && n.PrivateIp is { } ip) outside.Add(ip);
            var state = $"swarm state '{self.LocalNodeState}'{(self.ControlAvailable ? "" : ", not a manager")}";
            passed.Add($"{n.Address}: {state}");
            log($"[repair] {n.Address} ({n.InstanceId}) is not an active swarm manager ({state}): trying the next manager");
        }
        // Every manager still in its first boot: nothing is wrong yet, only early.
        if (passed.Count == 0 && unverified.Count > 0) throw NoKeysYet(unverified[0]);
        passed.AddRange(unverified.Select(n => $"{n.Address}: no host keys on its console yet"));
        throw new FswException(ErrorCodes.NoSwarmManagerToRepairFrom,
            "No running manager can repair the swarm: " + (passed.Count == 0 ? "none runs" : string.Join("; ", passed))
            + ". Nothing in the swarm was changed. Run RepairCluster again once a manager has booted (the resource repair launches missing ones); "
            + "if no manager of the swarm is left, see docs/provisioning.md (\"Not built yet\").");
    }

    /// <summary>
    /// A node bootstrapped over SSH joins through the manager the repair runs on, which is known to be in the swarm: the
    /// spec's join address is manager-1's fixed one, and a relaunched manager-1 itself must join, never init.
    /// </summary>
    private static NodeSpec JoinThrough(NodeSpec spec, ClusterNode source, NodeSpec sourceSpec) =>
        source.PrivateIp is not { } ip ? spec
        : spec with
        {
            Role = spec.Role == Nodes.NodeRole.FirstManager ? Nodes.NodeRole.Manager : spec.Role,
            ManagerAddress = $"{ip}:{sourceSpec.SwarmPort}",
        };

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
