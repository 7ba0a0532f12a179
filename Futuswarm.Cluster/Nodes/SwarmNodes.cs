using System.Text.Json;
using Futuswarm.Cluster.Nodes.Steps;

namespace Futuswarm.Cluster.Nodes;

/// <summary>One swarm node as a manager sees it (docker node inspect).</summary>
public sealed record SwarmNode(string Id, string Role, string State, string Addr, IReadOnlyDictionary<string, string> Labels)
{
    public string? Name => Labels.TryGetValue(NodeSpec.NodeLabel, out var n) ? n : null;
    public bool IsDown => State == "down";
}

public static class SwarmNodes
{
    public static async Task<IReadOnlyList<SwarmNode>> ListAsync(INodeShell manager, NodeSpec managerSpec, CancellationToken ct)
    {
        string[] ls = managerSpec.Docker("node", "ls", "-q");
        var ids = await manager.RunAsync(ls, null, ct);
        if (!ids.Ok) throw NodeErrors.StepFailed("repair", manager, ls, ids);
        var list = ids.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0) return [];
        string[] inspect = managerSpec.Docker(["node", "inspect", .. list]);
        var r = await manager.RunAsync(inspect, null, ct);
        if (!r.Ok) throw NodeErrors.StepFailed("repair", manager, inspect, r);
        return Parse(r.StdOut);
    }

    public static IReadOnlyList<SwarmNode> Parse(string inspectJson)
    {
        using var doc = JsonDocument.Parse(inspectJson);
        return doc.RootElement.EnumerateArray().Select(n =>
        {
            var spec = n.GetProperty("Spec");
            var labels = spec.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object
                ? l.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
                : [];
            var status = n.GetProperty("Status");
            return new SwarmNode(n.GetProperty("ID").GetString()!, spec.GetProperty("Role").GetString() ?? "",
                status.GetProperty("State").GetString() ?? "", status.TryGetProperty("Addr", out var a) ? a.GetString() ?? "" : "", labels);
        }).ToList();
    }

    public static Task<SwarmInfo> SelfAsync(INodeShell manager, NodeSpec managerSpec, CancellationToken ct) =>
        SwarmInfo.ReadAsync(manager, managerSpec, ct);
}
