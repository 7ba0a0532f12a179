using System.Text;
using System.Text.Json;
using Futuswarm.Cluster.Nodes;

namespace Futuswarm.Tests;

/// <summary>A pretend node for planning tests: a tiny Docker engine (swarm state, labels, networks) and a file system,
/// recording every command. Unknown commands fail, so a test sees any command it did not expect.</summary>
internal sealed class FakeNodeShell(string name = "fake") : INodeShell
{
    public string Name => name;
    public List<string[]> Commands { get; } = [];
    public Dictionary<string, (byte[] Content, UnixFileMode Mode)> Files { get; } = [];
    public List<string> Writes { get; } = [];
    public string SwarmState { get; set; } = "inactive";
    public bool Manager { get; set; }
    public string NodeId { get; set; } = "";
    public Dictionary<string, Dictionary<string, string>> Labels { get; } = []; // node id -> labels (on a manager)
    public HashSet<string> Networks { get; } = [];
    public int Restarts { get; private set; }
    public string? JoinedWithToken { get; private set; }
    /// <summary>The manager address the join request named.</summary>
    public string? JoinedVia { get; private set; }
    public string WorkerToken { get; set; } = "SWMTKN-1-" + new string('a', 50) + "-" + new string('b', 25);
    public string ManagerToken { get; set; } = "SWMTKN-1-" + new string('a', 50) + "-" + new string('c', 25);
    public FakeNodeShell? JoinTarget { get; set; }

    public Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default)
    {
        var a = argv.ToArray();
        Commands.Add(a);
        return Task.FromResult(Handle(a));
    }

    static ShellResult Ok(string o = "") => new(0, o, "");
    static ShellResult Fail(string e) => new(1, "", e);

    ShellResult Handle(string[] a)
    {
        if (a is [_, "--version"]) return Ok("Docker version 20.10.24");
        if (a is ["sh", "-c", ..]) return Ok();
        if (a is ["/restart-engine", ..] or ["systemctl", "restart", "docker"]) { Restarts++; return Ok(); }
        if (a is ["mkdir", ..]) return Ok();
        if (a is ["rm", "-f", var f]) { Files.Remove(f); return Ok(); }
        if (a is ["curl", ..]) return Join(a);
        if (a is [_, "-H", _, .. var d]) return Docker(d);
        return Fail("unexpected command " + string.Join(' ', a));
    }

    ShellResult Docker(string[] d)
    {
        switch (d)
        {
            case ["version", ..]: return Ok("20.10.24");
            case ["info", "--format", "{{json .Swarm}}"]:
                return Ok(JsonSerializer.Serialize(new { LocalNodeState = SwarmState, ControlAvailable = Manager, NodeID = NodeId }));
            case ["swarm", "init", ..]:
                (SwarmState, Manager, NodeId) = ("active", true, "node-" + name);
                Labels[NodeId] = [];
                return Ok();
            case ["swarm", "join-token", "-q", "worker"]: return Ok(WorkerToken + "\n");
            case ["swarm", "join-token", "-q", "manager"]: return Ok(ManagerToken + "\n");
            case ["node", "inspect", var id, "--format", _]:
                return Labels.TryGetValue(id, out var l) ? Ok(JsonSerializer.Serialize(l)) : Fail("No such node: " + id);
            case ["node", "update", .. var rest]:
                var target = rest[^1];
                for (var i = 0; i < rest.Length - 1; i += 2)
                {
                    var kv = rest[i + 1].Split('=', 2);
                    Labels[target][kv[0]] = kv[1];
                }
                return Ok();
            case ["node", "demote", _]: return Ok();
            case ["node", "rm", "--force", _]: return Ok();
            case ["network", "inspect", var net, ..]: return Networks.Contains(net) ? Ok("overlay true swarm\n") : Fail("network not found");
            case ["network", "create", .., var net]: Networks.Add(net); return Ok();
        }
        return Fail("unexpected docker " + string.Join(' ', d));
    }

    ShellResult Join(string[] a)
    {
        var file = a.Single(x => x.StartsWith('@'))[1..];
        var body = JsonDocument.Parse(Files[file].Content).RootElement;
        JoinedWithToken = body.GetProperty("JoinToken").GetString();
        JoinedVia = body.GetProperty("RemoteAddrs")[0].GetString();
        (SwarmState, Manager, NodeId) = ("active", JoinTarget is { } t && JoinedWithToken == t.ManagerToken, "node-" + name);
        JoinTarget?.Labels.Add(NodeId, []);
        return Ok();
    }

    public Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default)
    {
        Files[path] = (content, mode);
        Writes.Add(path);
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default) =>
        Task.FromResult(Files.TryGetValue(path, out var f) ? f.Content : null);

    public string Text(string path) => Encoding.UTF8.GetString(Files[path].Content);

    public void Dispose() { }
}
