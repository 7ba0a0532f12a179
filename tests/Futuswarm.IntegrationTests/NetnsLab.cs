using System.Net.NetworkInformation;
using Futuswarm.Cluster.Nodes;

namespace Futuswarm.IntegrationTests;

/// <summary>Fresh nodes for bootstrap tests without any cloud: each node is a network namespace with its own sshd
/// and dockerd, all on one bridge inside a "hub" namespace (10.213.0.0/24, the host at .1). The bridge lives in the
/// hub so the host's firewall and bridges stay untouched; the local cluster's engine (host ports 2377/7946) is
/// never involved. Needs root, iproute2, openssh-server, docker.io and curl (installed with apt if missing).
/// Dispose removes every process, namespace, interface and directory, also after a failed test.</summary>
public sealed class NetnsLab : IAsyncDisposable
{
    public const string Subnet = "10.213.0";
    public string Id { get; } = Guid.NewGuid().ToString("N")[..4];
    public string Hub => $"fswb-hub-{Id}";
    string HostVeth => $"fswb{Id}h";
    public SshKeyPair ClientKey { get; } = new();
    readonly List<NetnsNode> _nodes = [];
    readonly Action<string> _log;
    int _next = 2;

    NetnsLab(Action<string> log) => _log = log;

    public static async Task<NetnsLab> StartAsync(Action<string> log)
    {
        if (Environment.UserName != "root") throw new InvalidOperationException("the namespace test nodes need root");
        await HostPackagesAsync(log);
        // Sequential test collections (xunit.runner.json) keep labs from overlapping; a left-over lab is a bug to see.
        if (NetworkInterface.GetAllNetworkInterfaces().Any(i => i.GetIPProperties().UnicastAddresses.Any(a => a.Address.ToString().StartsWith(Subnet + ".", StringComparison.Ordinal))))
            throw new InvalidOperationException($"{Subnet}.0/24 is already on an interface of this host (a lab left over?)");
        var lab = new NetnsLab(log);
        try
        {
            await Host.MustAsync("ip", "netns", "add", lab.Hub);
            await Host.MustAsync("ip", "-n", lab.Hub, "link", "add", "br0", "type", "bridge");
            await Host.MustAsync("ip", "-n", lab.Hub, "link", "set", "br0", "up");
            await Host.MustAsync("ip", "link", "add", lab.HostVeth, "type", "veth", "peer", "name", "host", "netns", lab.Hub);
            await Host.MustAsync("ip", "-n", lab.Hub, "link", "set", "host", "master", "br0", "up");
            await Host.MustAsync("ip", "addr", "add", $"{Subnet}.1/24", "dev", lab.HostVeth);
            await Host.MustAsync("ip", "link", "set", lab.HostVeth, "up");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    public async Task<NetnsNode> AddNodeAsync()
    {
        var node = new NetnsNode(this, _next++, _log);
        _nodes.Add(node); // disposed with the lab even if its start fails half way
        await node.StartAsync();
        return node;
    }

    /// <summary>A lost machine replaced by a new one at the same address (a relaunched manager-1 at its fixed address):
    /// the old node goes entirely (namespace, sshd, dockerd, state), the new one has a new host key and an empty engine.</summary>
    public async Task<NetnsNode> RelaunchAtAddressOfAsync(NetnsNode lost)
    {
        await lost.DisposeAsync();
        _nodes.Remove(lost);
        // The kernel drops a deleted namespace's interfaces later: the hub side of its veth may still hold the name.
        var hubSide = $"n{lost.Index}-{Id}";
        await Host.RunAsync("ip", "-n", Hub, "link", "del", hubSide);
        for (var i = 0; (await Host.RunAsync("ip", "-n", Hub, "link", "show", hubSide)).Ok; i++)
        {
            if (i > 100) throw new InvalidOperationException($"{hubSide} is still in {Hub} after 10 s");
            await Task.Delay(100);
        }
        // The host and the other nodes still know the address by the lost node's MAC: forget it, as a new EC2 interface
        // announces itself, or nothing reaches the new machine until those entries expire.
        await Host.RunAsync("ip", "neigh", "flush", "to", lost.Address, "dev", HostVeth);
        foreach (var other in _nodes) await Host.RunAsync("ip", "-n", other.Netns, "neigh", "flush", "to", lost.Address);
        var node = new NetnsNode(this, lost.Index, _log);
        _nodes.Add(node);
        await node.StartAsync();
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var n in Enumerable.Reverse(_nodes))
            try { await n.DisposeAsync(); } catch (Exception e) { _log($"teardown of {n.Netns}: {e.Message}"); }
        await Host.RunAsync("ip", "netns", "del", Hub);
        if (Directory.Exists($"/sys/class/net/{HostVeth}")) await Host.RunAsync("ip", "link", "del", HostVeth);
        ClientKey.Dispose();
    }

    static async Task HostPackagesAsync(Action<string> log)
    {
        string[] wanted = ["iproute2", "openssh-server", "docker.io", "curl"];
        var missing = new List<string>();
        foreach (var p in wanted)
            if (!(await Host.RunAsync("dpkg-query", "-W", "-f=${Status}", p)).StdOut.Contains("install ok installed")) missing.Add(p);
        if (missing.Count == 0) return;
        log($"installing {string.Join(' ', missing)} with apt");
        await Host.MustAsync(["apt-get", "update", "-q"]);
        await Host.MustAsync(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "--no-install-recommends", .. missing]);
    }
}

/// <summary>Commands on the test host itself, through the same argv-only shell the bootstrap can use.</summary>
static class Host
{
    static readonly LocalNodeShell Shell = new();

    public static Task<ShellResult> RunAsync(params string[] argv) => Shell.RunAsync(argv);

    public static async Task<string> MustAsync(params string[] argv)
    {
        var r = await Shell.RunAsync(argv);
        if (!r.Ok) throw new InvalidOperationException($"{string.Join(' ', argv)} exited with {r.ExitCode}: {r.StdErr.Trim()}");
        return r.StdOut;
    }
}
