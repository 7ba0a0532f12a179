using System.Diagnostics;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Protocol;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// RepairCluster's swarm part as it runs on AWS, with namespace nodes standing in for the instances: every host key
/// comes from a console output in cloud-init's format (as EC2's GetConsoleOutput gives it) and is verified over real
/// SSH; nodes not in the swarm are bootstrapped, a killed worker's entry is removed and its relaunched instance joins.
/// </summary>
public sealed class ClusterSwarmRepairTests(ITestOutputHelper output)
{
    readonly List<string> _log = [];
    readonly LabInstances _instances = new();
    void Log(string line) { lock (_log) _log.Add(line); output.WriteLine(line); }

    [Fact]
    public async Task Nodes_join_with_console_verified_keys_and_a_killed_worker_is_replaced_by_its_relaunched_instance()
    {
        var total = Stopwatch.StartNew();
        await using var lab = await NetnsLab.StartAsync(Log);
        var a = await lab.AddNodeAsync();
        var b = await lab.AddNodeAsync();
        var c = await lab.AddNodeAsync();
        var byAddress = new Dictionary<string, NetnsNode> { ["instance[manager-1]"] = a, ["instance[worker-1]"] = b, ["instance[worker-2]"] = c };
        var specOf = LabInstances.SpecsFor(byAddress, $"{a.Address}:2377");
        List<ClusterNode> nodes = [_instances.Instance("instance[manager-1]", "i-a", a), _instances.Instance("instance[worker-1]", "i-b", b), _instances.Instance("instance[worker-2]", "i-c", c)];

        // On AWS the first manager inits the swarm from its cloud-init; here the same steps run over SSH.
        using (var first = await a.ConnectAsync(a.HostPublicKey))
            await NodeBootstrap.RunAsync(new NodeContext(first, first, specOf(nodes[0]), null, Log));

        var joined = await _instances.Repair(Log).RunAsync(nodes, specOf, default);
        Assert.Equal(["lab-worker-1", "lab-worker-2"], joined.Replaced);
        Assert.Empty(joined.Removed);

        using var manager = await a.ConnectAsync(a.HostPublicKey);
        var managerSpec = specOf(nodes[0]);
        var swarm = await SwarmNodes.ListAsync(manager, managerSpec, default);
        Assert.Equal(["lab-manager-1", "lab-worker-1", "lab-worker-2"], swarm.Select(n => n.Name).Order());
        var lost = swarm.Single(n => n.Name == "lab-worker-1");

        // worker-1's machine dies; the resource repair launches a new instance for it (here: a fresh namespace node).
        await b.KillDockerdAsync();
        await NetnsNode.WaitDownAsync(manager, managerSpec, lost.Id);
        var d = await lab.AddNodeAsync();
        byAddress["instance[worker-1]"] = d;
        nodes[1] = _instances.Instance("instance[worker-1]", "i-d", d);

        var sw = Stopwatch.StartNew();
        var repaired = await _instances.Repair(Log).RunAsync(nodes, specOf, default);
        Log($"repair after the loss: {sw.ElapsedMilliseconds} ms");
        Assert.Equal([lost.Id], repaired.Removed);
        Assert.Equal(["lab-worker-1"], repaired.Replaced);
        swarm = await SwarmNodes.ListAsync(manager, managerSpec, default);
        Assert.Equal(3, swarm.Count);
        Assert.All(swarm, n => Assert.Equal("ready", n.State));
        Assert.Equal(d.Address, swarm.Single(n => n.Name == "lab-worker-1").Addr);

        var again = await _instances.Repair(Log).RunAsync(nodes, specOf, default);
        Assert.False(again.Changed);
        Assert.DoesNotContain(_log, l => l.Contains("SWMTKN", StringComparison.Ordinal));
        Log($"total {total.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_node_still_in_its_first_boot_is_left_for_the_next_run()
    {
        await using var lab = await NetnsLab.StartAsync(Log);
        var a = await lab.AddNodeAsync();
        var b = await lab.AddNodeAsync();
        var byAddress = new Dictionary<string, NetnsNode> { ["instance[manager-1]"] = a, ["instance[worker-1]"] = b };
        var specOf = LabInstances.SpecsFor(byAddress, $"{a.Address}:2377");
        List<ClusterNode> nodes = [_instances.Instance("instance[manager-1]", "i-a", a), _instances.Instance("instance[worker-1]", "i-b", b)];
        _instances.StillBooting("i-b"); // cloud-init has not reached keys-to-console
        using (var first = await a.ConnectAsync(a.HostPublicKey))
            await NodeBootstrap.RunAsync(new NodeContext(first, first, specOf(nodes[0]), null, Log));

        var report = await _instances.Repair(Log).RunAsync(nodes, specOf, default);

        Assert.False(report.Changed);
        Assert.Contains(_log, l => l.Contains("instance[worker-1] (i-b) has not printed its host keys yet", StringComparison.Ordinal));
        Assert.Equal("inactive", (await b.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).StdOut.Trim());
    }

    [Fact]
    public async Task A_console_key_that_is_not_the_nodes_stops_the_repair_before_anything_runs()
    {
        await using var lab = await NetnsLab.StartAsync(Log);
        var a = await lab.AddNodeAsync();
        using var impostor = new SshKeyPair();
        var node = _instances.Instance("instance[manager-1]", "i-a", a, consoleKey: impostor.PublicKey);

        var refused = await Assert.ThrowsAsync<FswException>(() =>
            _instances.Repair(Log).RunAsync([node], n => a.Spec("lab-manager-1", NodeRole.FirstManager), default));

        Assert.Equal(ErrorCodes.HostKeyChanged, refused.Code);
        Assert.False(File.Exists(a.DaemonJson) && File.ReadAllText(a.DaemonJson).Contains("max-size", StringComparison.Ordinal));
        Assert.Equal("inactive", (await a.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).StdOut.Trim());
    }

    [Fact]
    public async Task An_instance_that_has_not_printed_its_keys_yet_is_not_connected_to()
    {
        await using var lab = await NetnsLab.StartAsync(Log);
        var a = await lab.AddNodeAsync();
        var node = _instances.Instance("instance[manager-1]", "i-a", a);
        _instances.StillBooting("i-a");

        var refused = await Assert.ThrowsAsync<FswException>(() =>
            _instances.Repair(Log).RunAsync([node], n => a.Spec("lab-manager-1", NodeRole.FirstManager), default));

        Assert.Equal(ErrorCodes.ConsoleHostKeysMissing, refused.Code);
        Assert.Contains("Run RepairCluster again", refused.Message);
    }
}
