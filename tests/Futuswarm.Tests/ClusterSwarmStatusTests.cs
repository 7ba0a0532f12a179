using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Provisioning.Operations;

namespace Futuswarm.Tests;

/// <summary>ClusterStatus's look inside the swarm: services from the first manager that answers, each manager's own programs, and the
/// managers it could not ask (never connected without a verified host key).</summary>
public class ClusterSwarmStatusTests
{
    sealed class ScriptedShell(string name, Func<IReadOnlyList<string>, ShellResult> answer) : INodeShell
    {
        public List<string> Commands { get; } = [];
        public string Name => name;
        public Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default)
        {
            Commands.Add(string.Join(' ', argv));
            return Task.FromResult(answer(argv));
        }
        public Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default) =>
            throw new InvalidOperationException("status writes nothing");
        public Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default) => Task.FromResult<byte[]?>(null);
        public void Dispose() { }
    }

    static string Ed25519()
    {
        var name = Encoding.ASCII.GetBytes("ssh-ed25519");
        var blob = new byte[4 + name.Length + 4 + 32];
        BinaryPrimitives.WriteInt32BigEndian(blob, name.Length);
        name.CopyTo(blob, 4);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4 + name.Length), 32);
        RandomNumberGenerator.Fill(blob.AsSpan(8 + name.Length));
        return "ssh-ed25519 " + Convert.ToBase64String(blob);
    }

    static string Console(string key) => $"-----BEGIN SSH HOST KEY KEYS-----\n{key} root@ip\n-----END SSH HOST KEY KEYS-----\n";

    const string ServiceLs = """
        {"ID":"a1","Image":"localhost:5000/futuswarm/edge:2.6.2","Mode":"global","Name":"futuswarm-edge","Ports":"","Replicas":"3/3"}
        {"ID":"b2","Image":"registry.example.com/shop@sha256:ab","Mode":"replicated","Name":"shop","Ports":"","Replicas":"1/2"}
        """;

    [Fact]
    public async Task ServicesComeFromManagerOneAndEveryManagerReportsItsPrograms()
    {
        ClusterNode Manager(int i, string state = "running") => new($"instance[manager-{i}]", $"i-{i}", state, "t3.small", "eu-north-1a", $"198.51.100.{i}", $"10.0.1.{9 + i}");
        var keys = new Dictionary<string, string> { ["i-1"] = Ed25519(), ["i-2"] = Ed25519() }; // manager-3 is still booting
        var connected = new List<(string Address, string Key)>();
        var shells = new List<ScriptedShell>();
        NodeConnector connect = (node, key, _) =>
        {
            connected.Add((node.Address, key));
            var shell = new ScriptedShell(node.Address, argv => argv switch
            {
                ["docker", "service", "ls", ..] => new ShellResult(0, ServiceLs, ""),
                ["systemctl", "is-active", "futuswarm-managerd"] => new ShellResult(node.InstanceId == "i-2" ? 3 : 0, node.InstanceId == "i-2" ? "failed\n" : "active\n", ""),
                ["systemctl", "is-active", "futuswarm-api-sshd"] => new ShellResult(0, "active\n", ""),
                _ => new ShellResult(1, "", "unexpected"),
            });
            shells.Add(shell);
            return Task.FromResult<INodeShell>(shell);
        };
        ConsoleReader console = (id, _) => Task.FromResult(keys.TryGetValue(id, out var k) ? Console(k) : null);

        var report = await new ClusterSwarmStatus(console, connect).RunAsync(
            [Manager(1), Manager(2), Manager(3), new("instance[worker-1]", "i-w", "running", "t3.small", null, null, "10.0.1.20")], CancellationToken.None);

        Assert.Equal([("instance[manager-1]", keys["i-1"]), ("instance[manager-2]", keys["i-2"])], connected); // the console's keys, workers never
        Assert.Equal(["futuswarm-edge", "shop"], report.Services.Select(s => s.Name));
        Assert.True(report.Services[0].Healthy);
        Assert.False(report.Services[1].Healthy); // 1 of 2 replicas
        Assert.Equal([true, false], report.Managers.Select(m => m.Healthy));
        Assert.Equal("failed", report.Managers[1].Daemon);
        Assert.Contains(report.Unreached, u => u.StartsWith("instance[manager-3]", StringComparison.Ordinal));
        Assert.DoesNotContain(shells[1].Commands, c => c.StartsWith("docker", StringComparison.Ordinal)); // services asked once, from the first manager that answered
    }

    [Theory]
    [InlineData("2/2", true)]
    [InlineData("0/1", false)]
    [InlineData("1/1 (max 1 per node)", true)]
    [InlineData("", false)]
    public void ReplicasDecideHealth(string replicas, bool healthy) =>
        Assert.Equal(healthy, new SwarmServiceLine("s", "replicated", replicas, "i").Healthy);
}
