using System.Diagnostics;
using Futuswarm.Cluster.Nodes;

namespace Futuswarm.IntegrationTests;

/// <summary>Node loss for real: a worker in its own namespace joins through the bootstrap, its engine is killed, and
/// the swarm repair removes it and bootstraps a replacement that joins.</summary>
public sealed class NodeLossTests(ITestOutputHelper output)
{
    readonly List<string> _log = [];
    void Log(string line) { lock (_log) _log.Add(line); output.WriteLine(line); }

    [Fact]
    public async Task LostWorkerIsRemovedAndReplaced()
    {
        var total = Stopwatch.StartNew();
        await using var lab = await NetnsLab.StartAsync(Log);
        var managerNode = await lab.AddNodeAsync();
        var workerNode = await lab.AddNodeAsync();
        var managerSpec = managerNode.Spec("manager-1", NodeRole.FirstManager);
        using var manager = await managerNode.ConnectAsync(managerNode.HostPublicKey);
        await NodeBootstrap.RunAsync(new NodeContext(manager, manager, managerSpec, null, Log));
        var tokens = SwarmRepair.FromManager(manager, managerSpec);
        var managerAddress = $"{managerNode.Address}:2377";

        var sw = Stopwatch.StartNew();
        var workerSpec = workerNode.Spec("worker-1", NodeRole.Worker, managerAddress, new Dictionary<string, string> { ["futuswarm.role"] = "worker" });
        using (var worker = await workerNode.ConnectAsync(workerNode.HostPublicKey))
        {
            var joined = await NodeBootstrap.RunAsync(new NodeContext(worker, manager, workerSpec, tokens, Log, managerSpec));
            Assert.True(joined.Single(r => r.Step == "swarm").Changed);
            Assert.DoesNotContain(joined, r => r.Step == "overlay"); // managers only
        }
        Log($"worker joined in {sw.ElapsedMilliseconds} ms");
        var nodes = await SwarmNodes.ListAsync(manager, managerSpec, default);
        Assert.Equal(2, nodes.Count(n => n.State == "ready"));
        var lost = nodes.Single(n => n.Name == "worker-1");
        Assert.Equal(workerNode.Address, lost.Addr);
        Assert.Equal("worker", lost.Labels["futuswarm.role"]);

        await workerNode.KillDockerdAsync();
        var down = await NetnsNode.WaitDownAsync(manager, managerSpec, lost.Id);
        Log($"manager saw the worker Down {down.TotalMilliseconds:0} ms after the kill");

        var launched = 0;
        NodeLauncher launch = async (wanted, ct) =>
        {
            launched++;
            var fresh = await lab.AddNodeAsync();
            var shell = await fresh.ConnectAsync(fresh.HostPublicKey);
            return new LaunchedNode(shell, fresh.Spec(wanted.Name, wanted.Role, wanted.ManagerAddress, wanted.Labels));
        };
        // The lost machine is gone: no running machine advertises its address any more.
        var repair = new SwarmRepair(manager, managerSpec, [workerSpec with { AdvertiseAddress = null }], launch, tokens, Log);
        sw.Restart();
        var report = await repair.RunAsync();
        Log($"repair: {sw.ElapsedMilliseconds} ms");
        Assert.Equal([lost.Id], report.Removed);
        Assert.Equal(["worker-1"], report.Replaced);

        nodes = await SwarmNodes.ListAsync(manager, managerSpec, default);
        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, n => Assert.Equal("ready", n.State));
        Assert.Equal(managerNode.Address, nodes.Single(n => n.Role == "manager").Addr);
        var replacement = nodes.Single(n => n.Role == "worker");
        Assert.Equal("worker-1", replacement.Name);
        Assert.Equal($"{NetnsLab.Subnet}.4", replacement.Addr);
        Assert.Equal("worker", replacement.Labels["futuswarm.role"]);

        sw.Restart();
        var again = await repair.RunAsync();
        Log($"second repair: {sw.ElapsedMilliseconds} ms");
        Assert.False(again.Changed);
        Assert.Equal(1, launched);

        Assert.DoesNotContain(_log, l => l.Contains("SWMTKN", StringComparison.Ordinal)); // no join token in any log line
        Log($"test total: {total.ElapsedMilliseconds} ms");
    }
}
