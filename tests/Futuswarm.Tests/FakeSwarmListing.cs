using System.Text.Json;
using Futuswarm.Cluster.Nodes;

namespace Futuswarm.Tests;

/// <summary>A swarm node as the fake lists it; 10.0.1.9 is the address a test does not care about.</summary>
internal sealed record Listed(string Id, string Role, string State, string Name, string Addr = "10.0.1.9");

/// <summary>A manager whose node list is the test's (docker node ls / inspect); everything else goes to the fake engine.</summary>
internal sealed class FakeSwarmListing(FakeNodeShell inner) : INodeShell
{
    public List<Listed> Nodes { get; } = [];
    public string Name => inner.Name;

    public Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default)
    {
        var a = argv.ToArray();
        if (a is [_, "-H", _, "node", "ls", "-q"])
            return Task.FromResult(new ShellResult(0, string.Join('\n', Nodes.Select(n => n.Id)), ""));
        if (a is [_, "-H", _, "node", "inspect", .. var ids] && !ids.Contains("--format"))
            return Task.FromResult(new ShellResult(0, JsonSerializer.Serialize(Nodes.Where(n => ids.Contains(n.Id)).Select(n => new
            {
                ID = n.Id,
                Spec = new { n.Role, Labels = n.Name == "" ? [] : new Dictionary<string, string> { [NodeSpec.NodeLabel] = n.Name } },
                Status = new { n.State, n.Addr },
            })), ""));
        return inner.RunAsync(argv, stdin, ct);
    }

    public Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default) => inner.WriteFileAsync(path, content, mode, ct);
    public Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default) => inner.ReadFileAsync(path, ct);
    public void Dispose() { }
}
