using System.Diagnostics;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Protocol;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// A 3-manager swarm on namespace nodes loses manager-1's machine; a new machine comes up at the same address (as the
/// resource repair relaunches manager-1 at its fixed address). RepairCluster's swarm part passes over the new manager-1
/// (in no swarm), runs from manager-2, demotes and removes the lost entry and joins the new machine as a manager.
/// </summary>
public sealed class ManagerRejoinTests(ITestOutputHelper output)
{
    readonly List<string> _log = [];
    readonly LabInstances _instances = new();
    void Log(string line) { lock (_log) _log.Add(line); output.WriteLine(line); }

    [Fact]
    public async Task A_new_machine_at_manager_1s_address_joins_as_a_manager_through_manager_2_and_the_lost_entry_goes()
    {
        var total = Stopwatch.StartNew();
        await using var lab = await NetnsLab.StartAsync(Log);
        var a = await lab.AddNodeAsync();
        var b = await lab.AddNodeAsync();
        var c = await lab.AddNodeAsync();
        var byAddress = new Dictionary<string, NetnsNode> { ["instance[manager-1]"] = a, ["instance[manager-2]"] = b, ["instance[manager-3]"] = c };
        var specOf = LabInstances.SpecsFor(byAddress, $"{a.Address}:2377");
        List<ClusterNode> nodes = [_instances.Instance("instance[manager-1]", "i-a", a), _instances.Instance("instance[manager-2]", "i-b", b), _instances.Instance("instance[manager-3]", "i-c", c)];
        using (var first = await a.ConnectAsync(a.HostPublicKey))
            await NodeBootstrap.RunAsync(new NodeContext(first, first, specOf(nodes[0]), null, Log));
        Assert.Equal(["lab-manager-2", "lab-manager-3"], (await _instances.Repair(Log).RunAsync(nodes, specOf, default)).Replaced);
        string lostId;
        using (var first = await a.ConnectAsync(a.HostPublicKey))
            lostId = (await SwarmNodes.ListAsync(first, specOf(nodes[0]), default)).Single(n => n.Name == "lab-manager-1").Id;

        // manager-1's machine is terminated; a new instance boots at its fixed address (its cloud-init join failed here).
        var relaunched = await lab.RelaunchAtAddressOfAsync(a);
        byAddress["instance[manager-1]"] = relaunched;
        nodes[0] = _instances.Instance("instance[manager-1]", "i-a2", relaunched);
        using var manager2 = await b.ConnectAsync(b.HostPublicKey);
        var manager2Spec = specOf(nodes[1]);
        await UntilDownAsync(manager2, manager2Spec, lostId);

        var sw = Stopwatch.StartNew();
        var repaired = await _instances.Repair(Log).RunAsync(nodes, specOf, default);
        Log($"repair after the loss: {sw.ElapsedMilliseconds} ms");

        Assert.Contains(_log, l => l.Contains("instance[manager-1] (i-a2) is not an active swarm manager", StringComparison.Ordinal));
        Assert.Contains(_log, l => l.Contains("repairing the swarm from instance[manager-2]", StringComparison.Ordinal));
        Assert.Equal([lostId], repaired.Removed);
        Assert.Equal(["lab-manager-1"], repaired.Replaced);
        var swarm = await SwarmNodes.ListAsync(manager2, manager2Spec, default);
        Assert.Equal(["lab-manager-1", "lab-manager-2", "lab-manager-3"], swarm.Select(n => n.Name).Order());
        Assert.All(swarm, n => Assert.Equal(("ready", "manager"), (n.State, n.Role)));
        var newOne = swarm.Single(n => n.Name == "lab-manager-1");
        Assert.Equal((a.Address, false), (newOne.Addr, newOne.Id == lostId));

        _log.Clear();
        Assert.False((await _instances.Repair(Log).RunAsync(nodes, specOf, default)).Changed);
        Assert.Contains(_log, l => l.Contains("repairing the swarm from instance[manager-1]", StringComparison.Ordinal));
        Assert.DoesNotContain(_log, l => l.Contains("SWMTKN", StringComparison.Ordinal));
        Log($"total {total.ElapsedMilliseconds} ms");
    }

    /// <summary>Until the manager lists the node Down (bounded); the listing may fail while the managers elect a new leader.</summary>
    static async Task UntilDownAsync(INodeShell manager, NodeSpec spec, string nodeId)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await SwarmNodes.ListAsync(manager, spec, default)).Single(n => n.Id == nodeId).IsDown) return;
            }
            catch (FswException) { } // no leader for a moment after losing it
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(120), "the lost manager was not Down within 120 s");
            await Task.Delay(500);
        }
    }
}
