using Futuswarm.Cluster.Nodes;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The bootstrap steps against a pretend node: what runs on a fresh node, that a converged node gets no
/// mutating command, and that the join token travels only in a 0600 file.</summary>
public class NodeBootstrapPlanTests
{
    readonly List<string> _log = [];

    static NodeSpec Spec(string name, NodeRole role, string? manager = null) => new()
    {
        Name = name,
        Role = role,
        AdvertiseAddress = "10.0.1.5",
        ManagerAddress = manager,
        Labels = new Dictionary<string, string> { ["futuswarm.role"] = role == NodeRole.Worker ? "worker" : "manager" },
        EngineRestart = ["/restart-engine"],
    };

    static readonly string[] Mutating = ["init", "update", "create", "/restart-engine", "curl", "apt-get"];
    static bool IsMutating(string[] argv) => argv.Any(a => Mutating.Contains(a)) || argv.Any(a => a.Contains("apt-get"));

    [Fact]
    public async Task FreshFirstManagerThenConverged()
    {
        var node = new FakeNodeShell("m1");
        node.Files["/etc/docker/daemon.json"] = ("{\"debug\":true,\"log-opts\":{\"labels\":\"x\"}}"u8.ToArray(), (UnixFileMode)0b110_100_100);
        var spec = Spec("manager-1", NodeRole.FirstManager);

        var first = await NodeBootstrap.RunAsync(new NodeContext(node, node, spec, null, _log.Add));
        Assert.Equal([false, true, true, true, true], first.Select(r => r.Changed));
        Assert.Equal(1, node.Restarts);
        var daemon = node.Text("/etc/docker/daemon.json");
        Assert.Contains("\"debug\": true", daemon);            // kept
        Assert.Contains("\"labels\": \"x\"", daemon);          // kept inside log-opts
        Assert.Contains("\"max-size\": \"10m\"", daemon);
        Assert.Contains("\"max-file\": \"3\"", daemon);
        Assert.Contains(node.Commands, c => c.SequenceEqual(spec.Docker("swarm", "init", "--advertise-addr", "10.0.1.5:2377", "--listen-addr", "10.0.1.5:2377")));
        Assert.Equal("manager-1", node.Labels[node.NodeId]["futuswarm.node"]);
        Assert.Contains("futuswarm", node.Networks);
        // The restart came before the swarm init: a restart after it would be needless.
        var restart = node.Commands.FindIndex(c => c[0] == "/restart-engine");
        var init = node.Commands.FindIndex(c => c.Contains("init"));
        Assert.True(restart < init);

        node.Commands.Clear();
        node.Writes.Clear();
        var second = await NodeBootstrap.RunAsync(new NodeContext(node, node, spec, null, _log.Add));
        Assert.All(second, r => Assert.False(r.Changed, r.Step));
        Assert.Empty(node.Writes);
        Assert.DoesNotContain(node.Commands, IsMutating);
        Assert.Equal(1, node.Restarts);
        Assert.Contains(_log, l => l.Contains("swarm: active as manager") && l.Contains("skip"));
    }

    [Fact]
    public async Task WorkerJoinsWithTheTokenOnlyInA0600FileAndIsLabelledFromTheManager()
    {
        var manager = new FakeNodeShell("m1");
        var managerSpec = Spec("manager-1", NodeRole.FirstManager);
        await NodeBootstrap.RunAsync(new NodeContext(manager, manager, managerSpec, null, _log.Add));
        var worker = new FakeNodeShell("w1") { JoinTarget = manager };
        var spec = Spec("worker-1", NodeRole.Worker, "10.0.1.4:2377");

        var results = await NodeBootstrap.RunAsync(new NodeContext(worker, manager, spec, SwarmRepair.FromManager(manager, managerSpec), _log.Add, managerSpec));

        Assert.Equal(["docker", "daemon.json", "swarm", "labels"], results.Select(r => r.Step)); // no overlay on workers
        Assert.Equal(manager.WorkerToken, worker.JoinedWithToken);
        var joinFile = worker.Writes.Single(w => w.Contains("join-"));
        Assert.StartsWith("/run/futuswarm/", joinFile);
        Assert.DoesNotContain(joinFile, worker.Files.Keys); // deleted after the request
        Assert.Contains(worker.Commands, c => c.SequenceEqual(["rm", "-f", joinFile]));
        var curl = worker.Commands.Single(c => c[0] == "curl");
        Assert.Contains("@" + joinFile, curl);
        Assert.Contains("http://docker/swarm/join", curl);
        foreach (var c in worker.Commands.Concat(manager.Commands))
            Assert.DoesNotContain(c, a => a.Contains("SWMTKN"));
        Assert.DoesNotContain(_log, l => l.Contains("SWMTKN"));
        Assert.Equal("worker-1", manager.Labels[worker.NodeId]["futuswarm.node"]);
        Assert.Equal("worker", manager.Labels[worker.NodeId]["futuswarm.role"]);
    }

    [Fact]
    public async Task JoinFileIsWrittenWithMode0600()
    {
        var manager = new FakeNodeShell("m1");
        var managerSpec = Spec("manager-1", NodeRole.FirstManager);
        await NodeBootstrap.RunAsync(new NodeContext(manager, manager, managerSpec, null, _log.Add));
        var worker = new RecordingModes(new FakeNodeShell("w1") { JoinTarget = manager });
        await NodeBootstrap.RunAsync(new NodeContext(worker, manager, Spec("worker-1", NodeRole.Worker, "10.0.1.4:2377"),
            SwarmRepair.FromManager(manager, managerSpec), _log.Add, managerSpec));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, worker.Modes.Single(m => m.Path.Contains("join-")).Mode);
    }

    sealed class RecordingModes(FakeNodeShell inner) : INodeShell
    {
        public List<(string Path, UnixFileMode Mode)> Modes { get; } = [];
        public string Name => inner.Name;
        public Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default) => inner.RunAsync(argv, stdin, ct);
        public Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default)
        {
            Modes.Add((path, mode));
            return inner.WriteFileAsync(path, content, mode, ct);
        }
        public Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default) => inner.ReadFileAsync(path, ct);
        public void Dispose() { }
    }

    [Fact]
    public async Task AMalformedTokenIsRefusedWithoutShowingIt()
    {
        var manager = new FakeNodeShell("m1") { WorkerToken = "SWMTKN-1-abc$(reboot)" };
        var managerSpec = Spec("manager-1", NodeRole.FirstManager);
        await NodeBootstrap.RunAsync(new NodeContext(manager, manager, managerSpec, null, _log.Add));
        var worker = new FakeNodeShell("w1");
        var e = await Assert.ThrowsAsync<FswException>(() => NodeBootstrap.RunAsync(new NodeContext(worker,
            manager, Spec("worker-1", NodeRole.Worker, "10.0.1.4:2377"), SwarmRepair.FromManager(manager, managerSpec), _log.Add, managerSpec)));
        Assert.Equal(ErrorCodes.NodeJoinFailed, e.Code);
        Assert.DoesNotContain("reboot", e.Message);
        Assert.DoesNotContain(worker.Commands, c => c[0] == "curl");
    }

    [Fact]
    public async Task AManagerSpecOnAWorkerEngineIsAConflictNotAReinit()
    {
        var node = new FakeNodeShell("w1") { SwarmState = "active", Manager = false, NodeId = "n1" };
        var e = await Assert.ThrowsAsync<FswException>(() =>
            NodeBootstrap.RunAsync(new NodeContext(node, node, Spec("manager-1", NodeRole.FirstManager), null, _log.Add)
                { SettleLimit = TimeSpan.FromMilliseconds(300) })); // a manager without control is first waited for
        Assert.Equal(ErrorCodes.NodeSwarmConflict, e.Code);
        Assert.DoesNotContain(node.Commands, c => c.Contains("init") || c.Contains("leave"));
    }

    [Fact]
    public async Task ABrokenDaemonJsonIsFsw6050AndNotOverwritten()
    {
        var node = new FakeNodeShell();
        node.Files["/etc/docker/daemon.json"] = ("{ not json"u8.ToArray(), (UnixFileMode)0b110_100_100);
        var e = await Assert.ThrowsAsync<FswException>(() =>
            NodeBootstrap.RunAsync(new NodeContext(node, node, Spec("manager-1", NodeRole.FirstManager), null, _log.Add)));
        Assert.Equal(ErrorCodes.NodeEngineConfigInvalid, e.Code);
        Assert.Equal("{ not json", node.Text("/etc/docker/daemon.json"));
        Assert.Equal(0, node.Restarts);
    }

    [Fact]
    public void HostileSpecValuesAreRefusedBeforeAnythingRuns()
    {
        var spec = Spec("../x", NodeRole.Worker) with
        {
            AdvertiseAddress = "10.0.0.1; reboot",
            Labels = new Dictionary<string, string> { ["role"] = "a b$(id)", ["Bad Key"] = "x" },
            DockerSocket = "/run/docker.sock; rm -rf /",
            EngineRestart = ["systemctl", "restart", "docker;reboot"],
            LogMaxSize = "10 m",
        };
        var e = Assert.Throws<FswException>(() => spec.Validate());
        Assert.Equal(ErrorCodes.NodeSpecInvalid, e.Code);
        Assert.True(e.Details.Count >= 8, string.Join("\n", e.Details)); // every problem listed, manager address too
    }

    [Fact]
    public async Task RepairRemovesDownNodesAndReplacesMissingOnesOnce()
    {
        var manager = new FakeNodeShell("m1");
        var managerSpec = Spec("manager-1", NodeRole.FirstManager);
        await NodeBootstrap.RunAsync(new NodeContext(manager, manager, managerSpec, null, _log.Add));
        var repairShell = new FakeSwarmListing(manager);
        repairShell.Nodes.Add(new("node-m1", "manager", "ready", "manager-1"));
        repairShell.Nodes.Add(new("dead1", "worker", "down", "worker-1"));
        var launched = new List<string>();
        NodeLauncher launch = (wanted, _) =>
        {
            launched.Add(wanted.Name);
            var fresh = new FakeNodeShell("w2") { JoinTarget = manager };
            return Task.FromResult(new LaunchedNode(fresh, wanted));
        };
        var repair = new SwarmRepair(repairShell, managerSpec, [Spec("worker-1", NodeRole.Worker, "10.0.1.4:2377")], launch,
            SwarmRepair.FromManager(manager, managerSpec), _log.Add);

        var report = await repair.RunAsync();
        Assert.Equal(["dead1"], report.Removed);
        Assert.Equal(["worker-1"], report.Replaced);
        Assert.Contains(manager.Commands, c => c.SequenceEqual(managerSpec.Docker("node", "rm", "--force", "dead1")));

        repairShell.Nodes.RemoveAll(n => n.Id == "dead1");
        repairShell.Nodes.Add(new("node-w2", "worker", "ready", "worker-1"));
        var again = await repair.RunAsync();
        Assert.False(again.Changed);
        Assert.Equal(["worker-1"], launched);
    }

    [Fact]
    public async Task RepairLabelsANodeThatJoinedByCloudInitInsteadOfReplacingIt()
    {
        var manager = new FakeNodeShell("m1");
        var managerSpec = Spec("manager-1", NodeRole.FirstManager);
        await NodeBootstrap.RunAsync(new NodeContext(manager, manager, managerSpec, null, _log.Add));
        manager.Labels["w9"] = [];
        var listing = new FakeSwarmListing(manager);
        listing.Nodes.Add(new("node-m1", "manager", "ready", "manager-1"));
        listing.Nodes.Add(new("w9", "worker", "ready", ""));
        NodeLauncher launch = (_, _) => throw new InvalidOperationException("nothing should be launched");
        var wanted = Spec("worker-1", NodeRole.Worker, "10.0.1.4:2377") with { AdvertiseAddress = "10.0.1.9" }; // the listing's address
        var report = await new SwarmRepair(listing, managerSpec, [wanted], launch, SwarmRepair.FromManager(manager, managerSpec), _log.Add).RunAsync();
        Assert.Equal(["worker-1"], report.Labelled);
        Assert.Equal("worker-1", manager.Labels["w9"]["futuswarm.node"]);
    }

    [Fact]
    public async Task RepairLeavesADownNodeWhoseMachineRunsToComeBack()
    {
        var manager = new FakeNodeShell("m1");
        var managerSpec = Spec("manager-1", NodeRole.FirstManager);
        await NodeBootstrap.RunAsync(new NodeContext(manager, manager, managerSpec, null, _log.Add));
        var listing = new FakeSwarmListing(manager);
        listing.Nodes.Add(new("node-m1", "manager", "ready", "manager-1", "10.0.1.4"));
        listing.Nodes.Add(new("m2", "manager", "down", "manager-2")); // restarting: its machine still has 10.0.1.9, no other node does
        NodeLauncher launch = (_, _) => throw new InvalidOperationException("nothing should be launched");
        var wanted = Spec("manager-2", NodeRole.Manager, "10.0.1.4:2377") with { AdvertiseAddress = "10.0.1.9" };

        var report = await new SwarmRepair(listing, managerSpec, [wanted], launch, SwarmRepair.FromManager(manager, managerSpec), _log.Add).RunAsync();

        Assert.False(report.Changed);
        Assert.DoesNotContain(manager.Commands, c => c.Contains("demote") || c.Contains("rm"));
        Assert.Contains(_log, l => l.Contains("left to come back", StringComparison.Ordinal));
    }
}
