using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>The engine's own view of its swarm membership (docker info .Swarm).</summary>
public sealed record SwarmInfo(string LocalNodeState, bool ControlAvailable, string NodeId)
{
    public static async Task<SwarmInfo> ReadAsync(INodeShell shell, NodeSpec spec, CancellationToken ct)
    {
        string[] argv = spec.Docker("info", "--format", "{{json .Swarm}}");
        var r = await shell.RunAsync(argv, null, ct);
        if (!r.Ok) throw NodeErrors.StepFailed("swarm", shell, argv, r);
        return Parse(r.StdOut);
    }

    public static SwarmInfo Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return new SwarmInfo(
            root.TryGetProperty("LocalNodeState", out var s) ? s.GetString() ?? "" : "",
            root.TryGetProperty("ControlAvailable", out var c) && c.ValueKind == JsonValueKind.True,
            root.TryGetProperty("NodeID", out var n) ? n.GetString() ?? "" : "");
    }
}
