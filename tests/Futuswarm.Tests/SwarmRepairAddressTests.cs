using System.Text.Json;
using Futuswarm.Cluster.Nodes;

namespace Futuswarm.Tests;

/// <summary>
/// SwarmRepair's rule for Down nodes at an address a desired node advertises: a restart (no other node there) is left
/// to come back; once a new machine at that address has joined as a new, Ready node (a relaunched manager-1 at its fixed
/// address), the Down entry is the lost machine's and is demoted and removed.
/// </summary>
public class SwarmRepairAddressTests
{
    private const string ManagerOneAddress = "10.0.1.10";
    private readonly List<string> _log = [];

    private static NodeSpec Spec(string name, NodeRole role, string address, string? manager = null) => new()
    {
        Name = name,
        Role = role,
        AdvertiseAddress = address,
        ManagerAddress = manager,
        EngineRestart = ["/restart-engine"],
    };

    // The repair runs on manager-2: manager-1's machine was lost.
    private readonly NodeSpec _managerSpec = Spec("manager-2", NodeRole.FirstManager, "10.0.1.20");
    private readonly NodeSpec _managerOne = Spec("manager-1", NodeRole.Manager, ManagerOneAddress, "10.0.1.20:2377");

    private async Task<(FakeNodeShell Manager, FakeSwarmListing Listing)> ManagerTwoAsync()
    {
        var manager = new FakeNodeShell("m2");
        await NodeBootstrap.RunAsync(new NodeContext(manager, manager, _managerSpec, null, _log.Add));
        var listing = new FakeSwarmListing(manager);
        listing.Nodes.Add(new("node-m2", "manager", "ready", "manager-2", "10.0.1.20"));
        listing.Nodes.Add(new("old-m1", "manager", "down", "manager-1", ManagerOneAddress));
        return (manager, listing);
    }

    private Task<RepairReport> RepairAsync(FakeNodeShell manager, FakeSwarmListing listing) =>
        new SwarmRepair(listing, _managerSpec, [_managerOne], (_, _) => throw new InvalidOperationException("nothing should be launched"),
            SwarmRepair.FromManager(manager, _managerSpec), _log.Add).RunAsync();

    [Fact]
    public async Task ADownManagerWhoseAddressANewReadyNodeHasIsDemotedAndRemovedAndTheNewOneLabelled()
    {
        var (manager, listing) = await ManagerTwoAsync();
        listing.Nodes.Add(new("new-m1", "manager", "ready", "", ManagerOneAddress)); // joined by cloud-init, unlabelled
        manager.Labels["new-m1"] = [];

        var report = await RepairAsync(manager, listing);

        Assert.Equal(["old-m1"], report.Removed);
        Assert.Equal(["manager-1"], report.Labelled);
        Assert.Empty(report.Replaced);
        var demote = manager.Commands.FindIndex(c => c.SequenceEqual(_managerSpec.Docker("node", "demote", "old-m1")));
        var remove = manager.Commands.FindIndex(c => c.SequenceEqual(_managerSpec.Docker("node", "rm", "--force", "old-m1")));
        Assert.True(demote >= 0 && remove > demote, "demoted, then removed");
        Assert.DoesNotContain(manager.Commands, c => c.Contains("new-m1") && (c.Contains("demote") || c.Contains("rm")));
        Assert.Equal("manager-1", manager.Labels["new-m1"][NodeSpec.NodeLabel]);
    }

    [Fact]
    public async Task ADownManagerWithNoReadyNodeAtItsAddressIsARestartAndLeftAloneUntilANewNodeTakesTheAddress()
    {
        var (manager, listing) = await ManagerTwoAsync();

        var restarting = await RepairAsync(manager, listing);

        Assert.False(restarting.Changed);
        Assert.DoesNotContain(manager.Commands, c => c.Contains("demote") || c.Contains("rm"));
        Assert.Contains(_log, l => l.Contains("old-m1", StringComparison.Ordinal) && l.Contains("left to come back", StringComparison.Ordinal));

        // The same machine coming back keeps its node id: nothing to do. A new machine at the address is a new node.
        listing.Nodes[1] = listing.Nodes[1] with { State = "ready" };
        Assert.False((await RepairAsync(manager, listing)).Changed);
        listing.Nodes[1] = listing.Nodes[1] with { State = "down" };
        listing.Nodes.Add(new("new-m1", "manager", "ready", "manager-1", ManagerOneAddress)); // labelled itself
        var replaced = await RepairAsync(manager, listing);

        Assert.Equal(["old-m1"], replaced.Removed);
        Assert.Empty(replaced.Labelled);
    }
}
