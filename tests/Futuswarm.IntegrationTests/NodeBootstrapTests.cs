using System.Diagnostics;
using System.Text.Json.Nodes;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Ssh;
using Futuswarm.Protocol;

namespace Futuswarm.IntegrationTests;

/// <summary>Node bootstrap over real SSH (SSH.NET) to a fresh node in a network namespace; independent of the local
/// cluster (see <see cref="NetnsLab"/>).</summary>
public sealed class NodeBootstrapTests(ITestOutputHelper output)
{
    readonly List<string> _log = [];
    void Log(string line) { lock (_log) _log.Add(line); output.WriteLine(line); }

    [Fact]
    public async Task FirstManagerOverSshThenSecondRunChangesNothing()
    {
        var total = Stopwatch.StartNew();
        await using var lab = await NetnsLab.StartAsync(Log);
        var node = await lab.AddNodeAsync();
        var spec = node.Spec("manager-1", NodeRole.FirstManager, labels: new Dictionary<string, string> { ["futuswarm.role"] = "manager" });
        var pidBefore = node.DockerdPid;

        // The host key comes from the node's key file, as provisioning would read it from the console.
        using var shell = await node.ConnectAsync(node.HostPublicKey);
        var sw = Stopwatch.StartNew();
        var first = await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, Log));
        Log($"first run: {sw.ElapsedMilliseconds} ms");

        Assert.Equal(["docker", "daemon.json", "swarm", "labels", "overlay"], first.Select(r => r.Step));
        Assert.False(first[0].Changed); // docker.io is on the test machine
        Assert.All(first.Skip(1), r => Assert.True(r.Changed, r.Step));
        Assert.NotEqual(pidBefore, node.DockerdPid); // daemon.json changed: the engine was restarted

        // What the node looks like now, seen from the host, not through the code under test.
        var swarm = JsonNode.Parse((await node.DockerAsync("info", "--format", "{{json .Swarm}}")).StdOut)!;
        Assert.Equal("active", (string?)swarm["LocalNodeState"]);
        Assert.True((bool?)swarm["ControlAvailable"]);
        var nodeId = (string)swarm["NodeID"]!;
        var labels = JsonNode.Parse((await node.DockerAsync("node", "inspect", "self", "--format", "{{json .Spec.Labels}}")).StdOut)!;
        Assert.Equal("manager-1", (string?)labels["futuswarm.node"]);
        Assert.Equal("manager", (string?)labels["futuswarm.role"]);
        Assert.Equal("overlay true swarm", (await node.DockerAsync("network", "inspect", "futuswarm", "--format", "{{.Driver}} {{.Attachable}} {{.Scope}}")).StdOut.Trim());
        var daemon = JsonNode.Parse(File.ReadAllText(node.DaemonJson))!;
        Assert.Equal("json-file", (string?)daemon["log-driver"]);
        Assert.Equal("10m", (string?)daemon["log-opts"]!["max-size"]);
        Assert.Equal("3", (string?)daemon["log-opts"]!["max-file"]);
        Assert.Equal(3, (int?)daemon["max-concurrent-downloads"]); // merged, not overwritten
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(node.DaemonJson));
        Assert.Equal("json-file", (await node.DockerAsync("info", "--format", "{{.LoggingDriver}}")).StdOut.Trim());

        var pid = node.DockerdPid;
        var mtime = File.GetLastWriteTimeUtc(node.DaemonJson);
        sw.Restart();
        var second = await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, Log));
        Log($"second run: {sw.ElapsedMilliseconds} ms");

        Assert.All(second, r => Assert.False(r.Changed, $"{r.Step}: {r.Detail}"));
        Assert.Equal(nodeId, JsonNode.Parse((await node.DockerAsync("info", "--format", "{{json .Swarm}}")).StdOut)!["NodeID"]!.ToString());
        Assert.Equal(pid, node.DockerdPid);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(node.DaemonJson));
        Log($"test total: {total.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task UnknownOrChangedHostKeyRunsNothing()
    {
        var total = Stopwatch.StartNew();
        await using var lab = await NetnsLab.StartAsync(Log);
        var node = await lab.AddNodeAsync();
        var daemonJson = File.ReadAllText(node.DaemonJson);

        // Another real ed25519 key: what an attacker's (or a replaced) node would present.
        using var other = new SshKeyPair();
        var changed = await Assert.ThrowsAsync<FswException>(() => node.ConnectAsync(other.PublicKey));
        Assert.Equal(ErrorCodes.HostKeyChanged, changed.Code);
        Log(changed.Message);
        var unknown = await Assert.ThrowsAsync<FswException>(() => node.ConnectAsync(null));
        Assert.Equal(ErrorCodes.HostKeyUnknown, unknown.Code);
        Log(unknown.Message);

        // Nothing ran: sshd never authenticated anyone, the engine and its config are as the fixture left them.
        Assert.DoesNotContain("Accepted publickey", File.ReadAllText(node.SshdLog));
        Assert.Equal(daemonJson, File.ReadAllText(node.DaemonJson));
        Assert.Equal("inactive", (await node.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).StdOut.Trim());

        // The right key as a SHA256 fingerprint is accepted.
        var fingerprint = "SHA256:" + ExpectedHostKey.FingerprintOf(Convert.FromBase64String(node.HostPublicKey.Split(' ')[1]));
        using var shell = await node.ConnectAsync(fingerprint);
        Assert.Equal("ok", (await shell.RunAsync(["echo", "ok"])).StdOut.Trim());
        Assert.Contains("Accepted publickey", File.ReadAllText(node.SshdLog));

        // The shell's other two verbs over the same connection: stdin, and SFTP files with their mode.
        Assert.Equal("it's $(not) run", (await shell.RunAsync(["cat"], "it's $(not) run"u8.ToArray())).StdOut);
        var file = Path.Combine(node.Dir, "secret-file");
        await shell.WriteFileAsync(file, "x"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("x"u8.ToArray(), await shell.ReadFileAsync(file));
        Assert.Null(await shell.ReadFileAsync(file + ".missing"));
        Assert.Single(Directory.GetFiles(node.Dir, "secret-file*")); // no temporary file left behind
        Log($"test total: {total.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task ASecondManagerJoinsAsManager()
    {
        var total = Stopwatch.StartNew();
        await using var lab = await NetnsLab.StartAsync(Log);
        var first = await lab.AddNodeAsync();
        var second = await lab.AddNodeAsync();
        var firstSpec = first.Spec("manager-1", NodeRole.FirstManager);
        using var m1 = await first.ConnectAsync(first.HostPublicKey);
        await NodeBootstrap.RunAsync(new NodeContext(m1, m1, firstSpec, null, Log));

        var spec = second.Spec("manager-2", NodeRole.Manager, $"{first.Address}:2377");
        using var m2 = await second.ConnectAsync(second.HostPublicKey);
        var tokens = SwarmRepair.FromManager(m1, firstSpec);
        var joined = await NodeBootstrap.RunAsync(new NodeContext(m2, m1, spec, tokens, Log, firstSpec));
        Assert.True(joined.Single(r => r.Step == "swarm").Changed);
        Assert.False(joined.Single(r => r.Step == "overlay").Changed); // swarm-scoped: made once, by the first manager
        Assert.Equal("true", (await second.DockerAsync("info", "--format", "{{.Swarm.ControlAvailable}}")).StdOut.Trim());

        var again = await NodeBootstrap.RunAsync(new NodeContext(m2, m1, spec, tokens, Log, firstSpec));
        Assert.All(again, r => Assert.False(r.Changed, $"{r.Step}: {r.Detail}"));
        var nodes = await SwarmNodes.ListAsync(m1, firstSpec, default);
        Assert.Equal(["manager", "manager"], nodes.Select(n => n.Role));
        Assert.Equal(["manager-1", "manager-2"], nodes.Select(n => n.Name).Order());
        Log($"test total: {total.ElapsedMilliseconds} ms");
    }
}
