using System.Diagnostics;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Steps;
using Futuswarm.Protocol;

namespace Futuswarm.IntegrationTests;

/// <summary>The swarm steps as LocalCluster's SwarmSetup runs them (LocalNodeShell on this machine, loopback advertise,
/// docker_gwbridge pre-created under its own interface name), against a fresh engine in a network namespace so the
/// local cluster's engine is never touched.</summary>
public sealed class LocalShellSwarmTests(ITestOutputHelper output)
{
    static readonly NodeStep[] SwarmSteps = [new SwarmMembershipStep(), new OverlayNetworkStep()];

    static NodeSpec LocalSpec(NetnsNode node) => new()
    {
        Name = "local",
        Role = NodeRole.FirstManager,
        AdvertiseAddress = "127.0.0.1",
        DockerCli = File.Exists("/usr/local/bin/docker") ? "/usr/local/bin/docker" : "/usr/bin/docker",
        DockerSocket = node.DockerSocket,
        GwBridge = new GwBridgeSpec("fswgw9", "172.31.253.0/24"),
    };

    [Fact]
    public async Task LoopbackSwarmWithOwnGwBridgeThenNothingChanges()
    {
        var total = Stopwatch.StartNew();
        await using var lab = await NetnsLab.StartAsync(output.WriteLine);
        var node = await lab.AddNodeAsync();
        using var shell = new LocalNodeShell();
        var spec = LocalSpec(node);

        var first = await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, output.WriteLine), SwarmSteps);
        Assert.All(first, r => Assert.True(r.Changed, r.Step));
        Assert.Equal("fswgw9", (await node.DockerAsync("network", "inspect", "docker_gwbridge", "--format",
            "{{index .Options \"com.docker.network.bridge.name\"}}")).StdOut.Trim());
        Assert.Equal("127.0.0.1", (await node.DockerAsync("info", "--format", "{{.Swarm.NodeAddr}}")).StdOut.Trim());
        Assert.True(Directory.Exists("/sys/class/net/fswgw9") is false); // the bridge lives in the node's namespace, not the host's

        var second = await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, output.WriteLine), SwarmSteps);
        Assert.All(second, r => Assert.False(r.Changed, r.Step));
        output.WriteLine($"test total: {total.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task AForeignNetworkNamedFutuswarmIsRefused()
    {
        await using var lab = await NetnsLab.StartAsync(output.WriteLine);
        var node = await lab.AddNodeAsync();
        using var shell = new LocalNodeShell();
        var spec = LocalSpec(node);
        await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, output.WriteLine), [new SwarmMembershipStep()]);
        Assert.True((await node.DockerAsync("network", "create", "--driver", "bridge", "futuswarm")).Ok);

        var e = await Assert.ThrowsAsync<FswException>(() => NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, output.WriteLine), SwarmSteps));
        Assert.Equal(ErrorCodes.NodeNetworkConflict, e.Code);
        Assert.Contains("'bridge false local'", e.Message);
    }
}
