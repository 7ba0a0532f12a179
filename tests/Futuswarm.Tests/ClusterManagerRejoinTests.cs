using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Provisioning;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// RepairCluster on the whole fake cloud after the example cluster (3 managers) lost manager-1: the resource repair
/// launches one instance at its fixed address that joins as a manager through manager-2, and the swarm part runs from
/// manager-2 (manager-1 passed over while it is in no swarm), re-publishes the tokens there, removes the lost node's
/// entry and joins the new manager-1 through manager-2, never with swarm init.
/// </summary>
public sealed class ClusterManagerRejoinTests : IDisposable
{
    private const string Fixed = "10.42.0.10"; // host 10 of subnet[eu-west-1a]
    private readonly ClusterDefinition _definition =
        ClusterDefinitionLoader.Load(Path.Combine(RepoRoot.Path, "docs", "examples", "cluster.json"));
    private readonly DirectoryInfo _stores = Directory.CreateTempSubdirectory("futuswarm-rejoin-tests-");
    private readonly FakeClusterClouds _fakes;
    private readonly List<string> _log = [];

    public ClusterManagerRejoinTests() =>
        _fakes = new FakeClusterClouds(_definition.Region, ClusterPlanner.NetworkOf(_definition).Zones, _stores.FullName);

    public void Dispose() => _stores.Delete(recursive: true);

    private ClusterOperations Operations() => new(_definition, _fakes.Clouds, _log.Add, WaitOptions.Immediate);

    private static ClusterNode Node(ProvisionReport report, string name) => report.Nodes.Single(n => n.Address == $"instance[{name}]");

    /// <summary>Provisions, loses manager-1's machine, and runs the resource part of RepairCluster.</summary>
    private async Task<(ProvisionReport Before, ProvisionReport After)> LoseAndRelaunchManagerOneAsync()
    {
        var before = await Operations().ProvisionAsync(default);
        _fakes.Ec2.TerminateBehindTheBack(Node(before, "manager-1").InstanceId);
        _fakes.ResetCalls();
        return (before, await Operations().ProvisionAsync(default));
    }

    [Fact]
    public async Task The_resource_repair_launches_one_manager_1_at_its_address_joining_through_manager_2()
    {
        var (before, after) = await LoseAndRelaunchManagerOneAsync();

        Assert.Single(_fakes.MutatingCalls, c => c.Name == "RunInstances");
        Assert.Contains("+ instance[manager-1] (not found: rejoins the swarm via manager-2)", after.Applied.Changes.Select(c => c.ToString()));
        var relaunched = Node(after, "manager-1");
        Assert.NotEqual(Node(before, "manager-1").InstanceId, relaunched.InstanceId);
        Assert.Equal(Fixed, relaunched.PrivateIp);
        var userData = _fakes.Ec2.LaunchOf(relaunched.InstanceId).UserData;
        Assert.DoesNotContain("\"init\"", userData);
        Assert.Contains($"\"{Fixed}:2377\", \"{Node(after, "manager-2").PrivateIp}:2377\"", userData); // advertised, joined
        Assert.Contains("\"/futuswarm/prod/swarm/join-token/manager\"", userData);
    }

    [Fact]
    public async Task The_swarm_repair_runs_from_manager_2_and_joins_a_manager_1_that_is_in_no_swarm_as_a_manager()
    {
        var (_, after) = await LoseAndRelaunchManagerOneAsync();
        string Ip(string name) => Node(after, name).PrivateIp!;
        // manager-2 sees the swarm: itself, manager-3, the workers, and the lost manager-1's entry, Down at the fixed address.
        var m2 = new FakeNodeShell("m2") { SwarmState = "active", Manager = true, NodeId = "node-m2" };
        var listing = new FakeSwarmListing(m2);
        listing.Nodes.Add(new("node-m2", "manager", "ready", "prod-manager-2", Ip("manager-2")));
        listing.Nodes.Add(new("node-m3", "manager", "ready", "prod-manager-3", Ip("manager-3")));
        listing.Nodes.Add(new("old-m1", "manager", "down", "prod-manager-1", Fixed));
        foreach (var i in new[] { 1, 2, 3 }) listing.Nodes.Add(new($"node-w{i}", "worker", "ready", $"prod-worker-{i}", Ip($"worker-{i}")));
        var m1 = new FakeNodeShell("m1") { JoinTarget = m2 }; // its cloud-init join failed: in no swarm
        var connected = new List<string>();
        NodeConnector connect = (node, key, _) =>
        {
            Assert.Equal("ssh-ed25519 " + FakeEc2Cloud.ConsoleHostKey(node.InstanceId), key);
            connected.Add(node.Address);
            return Task.FromResult<INodeShell>(node.Address switch
            {
                "instance[manager-1]" => m1,
                "instance[manager-2]" => listing,
                _ => throw new InvalidOperationException($"{node.Address} is live in the swarm: nothing to connect for"),
            });
        };

        var report = await Operations().RepairSwarmAsync(after.Nodes, connect, default);

        Assert.Equal(["instance[manager-1]", "instance[manager-2]", "instance[manager-1]"], connected);
        Assert.Contains(_log, l => l.Contains("instance[manager-1]", StringComparison.Ordinal) && l.Contains("not an active swarm manager", StringComparison.Ordinal));
        Assert.Contains(m2.Commands, c => c[0] == "sh" && c.Any(a => a.Contains("put-parameter", StringComparison.Ordinal))); // tokens re-published
        Assert.Equal(["old-m1"], report.Removed);
        Assert.Equal(["prod-manager-1"], report.Replaced);
        var demote = m2.Commands.FindIndex(c => c.Contains("demote") && c.Contains("old-m1"));
        Assert.True(demote >= 0 && m2.Commands.FindIndex(c => c.Contains("rm") && c.Contains("old-m1")) > demote);
        Assert.Equal(($"{Ip("manager-2")}:2377", m2.ManagerToken, true), (m1.JoinedVia, m1.JoinedWithToken, m1.Manager));
        Assert.DoesNotContain(m1.Commands, c => c.Contains("init"));
    }

    [Fact]
    public async Task With_no_manager_in_the_swarm_the_repair_stops_with_fsw6064_naming_each()
    {
        var (_, after) = await LoseAndRelaunchManagerOneAsync();
        NodeConnector connect = (node, _, _) => Task.FromResult<INodeShell>(new FakeNodeShell(node.Address)); // all in no swarm

        var e = await Assert.ThrowsAsync<FswException>(() => Operations().RepairSwarmAsync(after.Nodes, connect, default));

        Assert.Equal(ErrorCodes.NoSwarmManagerToRepairFrom, e.Code);
        foreach (var i in new[] { 1, 2, 3 }) Assert.Contains($"instance[manager-{i}]: swarm state 'inactive'", e.Message);
    }
}
