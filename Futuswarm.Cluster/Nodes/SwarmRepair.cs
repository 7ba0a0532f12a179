using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes;

/// <summary>A fresh node to replace a lost one: a shell on it (host key already verified) and its spec.</summary>
public sealed record LaunchedNode(INodeShell Shell, NodeSpec Spec);

/// <summary>Starts a replacement for a desired node that is missing (on AWS: run an instance and learn its host key
/// from the console; in tests: a new network namespace).</summary>
public delegate Task<LaunchedNode> NodeLauncher(NodeSpec wanted, CancellationToken ct);

public sealed record RepairReport(IReadOnlyList<string> Removed, IReadOnlyList<string> Replaced, IReadOnlyList<string> Labelled)
{
    public bool Changed => Removed.Count > 0 || Replaced.Count > 0 || Labelled.Count > 0;
}

/// <summary>The swarm part of RepairCluster, run from a manager: nodes that are Down are removed (never the manager
/// itself; not one whose running machine is restarting, unless a new Ready node has taken its address), then every desired node that no live node stands for (by its futuswarm.node label, or by its address for
/// a node that joined by cloud-init and is labelled now) is replaced by a fresh node going through the same bootstrap
/// steps. A second run finds nothing to do.</summary>
/// <param name="outsideSwarm">Addresses of running machines the caller found in no swarm (a relaunched manager-1 whose
/// join failed): a Down node there is the lost machine's, not a restart.</param>
public sealed class SwarmRepair(INodeShell manager, NodeSpec managerSpec, IReadOnlyList<NodeSpec> desired,
    NodeLauncher launch, JoinTokenSource joinToken, Action<string> log, IReadOnlySet<string>? outsideSwarm = null)
{
    public async Task<RepairReport> RunAsync(CancellationToken ct = default)
    {
        managerSpec.Validate();
        foreach (var d in desired) d.Validate();
        var self = await SwarmNodes.SelfAsync(manager, managerSpec, ct);
        if (self.LocalNodeState != "active" || !self.ControlAvailable)
            throw new FswException(ErrorCodes.NodeSwarmConflict,
                $"{ErrorCodes.NodeSwarmConflict}: repair must run on a swarm manager; {manager.Name} is '{self.LocalNodeState}'" +
                $"{(self.ControlAvailable ? "" : " and not a manager")}.");

        var removed = new List<string>();
        var nodes = await SwarmNodes.ListAsync(manager, managerSpec, ct);
        // A Down node whose address a desired node still advertises is a machine that runs (restarting, say): it
        // comes back by itself, and removing it (a manager's demotion above all) would change the raft for nothing.
        // Unless a Ready node now has that address: a new machine took it (a relaunched manager-1 at its fixed
        // address) and joined as a new node, so the Down entry is the lost machine's and is removed.
        var stillRunning = desired.Select(d => d.AdvertiseAddress).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var takenOver = nodes.Where(n => n.State == "ready" && n.Addr is { Length: > 0 }).Select(n => n.Addr).ToHashSet(StringComparer.Ordinal);
        bool Restarting(SwarmNode n) => stillRunning.Contains(n.Addr) && !takenOver.Contains(n.Addr) && outsideSwarm?.Contains(n.Addr) != true;
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in nodes.Where(n => n.IsDown && n.Id != self.NodeId && Restarting(n)))
        {
            log($"[repair] node {n.Id} ({n.Name ?? "unnamed"}, {n.Addr}) is down but its machine runs: left to come back");
            if (n.Name is { } name) waiting.Add(name);
        }
        foreach (var n in nodes.Where(n => n.IsDown && n.Id != self.NodeId && !Restarting(n)))
        {
            // A manager is demoted first so the removal does not count against the raft quorum.
            if (n.Role == "manager") await MustAsync(managerSpec.Docker("node", "demote", n.Id), ct);
            await MustAsync(managerSpec.Docker("node", "rm", "--force", n.Id), ct);
            log($"[repair] removed node {n.Id} ({n.Name ?? "unnamed"}, {n.Addr}, down{(takenOver.Contains(n.Addr) ? ", its address now another node's" : outsideSwarm?.Contains(n.Addr) == true ? ", its address now a machine's outside the swarm" : "")})");
            removed.Add(n.Id);
        }

        var live = nodes.Where(n => !n.IsDown).ToList();
        var replaced = new List<string>();
        var labelled = new List<string>();
        foreach (var wanted in desired)
        {
            if (live.Any(n => n.Name == wanted.Name) || waiting.Contains(wanted.Name)) continue;
            // A node that joined by cloud-init cannot label itself: it is known by its address and labelled here.
            if (live.FirstOrDefault(n => n.Name is null && wanted.AdvertiseAddress is { } a && n.Addr == a) is { } unlabelled)
            {
                var argv = new List<string> { "node", "update" };
                foreach (var (k, v) in wanted.DesiredLabels()) argv.AddRange(["--label-add", $"{k}={v}"]);
                await MustAsync(managerSpec.Docker([.. argv, unlabelled.Id]), ct);
                log($"[repair] labelled node {unlabelled.Id} ({unlabelled.Addr}) as {wanted.Name}");
                labelled.Add(wanted.Name);
                continue;
            }
            log($"[repair] node {wanted.Name} is missing; launching a replacement");
            var fresh = await launch(wanted, ct);
            using (fresh.Shell)
            {
                var ctx = new NodeContext(fresh.Shell, manager, fresh.Spec, joinToken, log, managerSpec);
                await NodeBootstrap.RunAsync(ctx, ct);
            }
            replaced.Add(wanted.Name);
        }
        log(removed.Count + replaced.Count + labelled.Count == 0
            ? "[repair] swarm: every desired node is live, nothing down, skip"
            : $"[repair] swarm: removed {removed.Count} down node(s), replaced {replaced.Count}, labelled {labelled.Count}");
        return new RepairReport(removed, replaced, labelled);
    }

    async Task MustAsync(string[] argv, CancellationToken ct)
    {
        var r = await manager.RunAsync(argv, null, ct);
        if (!r.Ok) throw NodeErrors.StepFailed("repair", manager, argv, r);
    }

    /// <summary>A token source that asks the manager (docker swarm join-token -q); the output is never logged.</summary>
    public static JoinTokenSource FromManager(INodeShell manager, NodeSpec managerSpec) => async (asManager, ct) =>
    {
        string[] argv = managerSpec.Docker("swarm", "join-token", "-q", asManager ? "manager" : "worker");
        var r = await manager.RunAsync(argv, null, ct);
        if (!r.Ok) throw NodeErrors.StepFailed("swarm", manager, argv, r);
        return r.StdOut.Trim();
    };
}
