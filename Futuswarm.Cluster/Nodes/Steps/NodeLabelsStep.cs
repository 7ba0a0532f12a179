using System.Text.Json;
using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>The node's labels (its name as futuswarm.node, which repair matches on, and the spec's), set from a
/// manager: a worker cannot label itself. Only missing or different labels are added; others are left.</summary>
public sealed class NodeLabelsStep : NodeStep
{
    public override string Name => "labels";

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var nodeId = (await SwarmInfo.ReadAsync(ctx.Node, ctx.Spec, ct)).NodeId;
        var current = await CurrentAsync(ctx, nodeId, ct);
        var missing = ctx.Spec.DesiredLabels().Where(kv => !current.TryGetValue(kv.Key, out var v) || v != kv.Value).ToList();
        if (missing.Count == 0) return Skip($"{current.Count} labels set on node {nodeId}");

        var argv = new List<string> { "node", "update" };
        foreach (var (k, v) in missing) argv.AddRange(["--label-add", $"{k}={v}"]);
        argv.Add(nodeId);
        await ctx.MustAsync(Name, ctx.Manager, ctx.ManagerSpec.Docker([.. argv]), ct);
        return Did($"set {string.Join(", ", missing.Select(kv => $"{kv.Key}={kv.Value}"))} on node {nodeId}");
    }

    /// <summary>A node that has just joined may take a moment to show on the manager.</summary>
    static async Task<Dictionary<string, string>> CurrentAsync(NodeContext ctx, string nodeId, CancellationToken ct)
    {
        string[] argv = ctx.ManagerSpec.Docker("node", "inspect", nodeId, "--format", "{{json .Spec.Labels}}");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var r = await ctx.Manager.RunAsync(argv, null, ct);
            if (r.Ok) return JsonSerializer.Deserialize<Dictionary<string, string>>(r.StdOut.Trim() is "null" or "" ? "{}" : r.StdOut) ?? [];
            if (DateTime.UtcNow > deadline) throw NodeErrors.StepFailed("labels", ctx.Manager, argv, r);
            await Task.Delay(250, ct);
        }
    }

    const string Self = "d=$1; h=$2; shift 2; exec \"$d\" -H \"$h\" node update \"$@\" \"$(\"$d\" -H \"$h\" info --format '{{.Swarm.NodeID}}')\"";

    /// <summary>A manager labels itself at first boot; a worker's labels are set by the managers' repair run, which
    /// runs the same step for every desired node.</summary>
    public override void Render(NodeSpec spec, CloudConfig config)
    {
        if (!spec.IsManager) return;
        var argv = new List<string> { "sh", "-c", Self, "sh", spec.DockerCli, spec.DockerHost };
        foreach (var (k, v) in spec.DesiredLabels()) argv.AddRange(["--label-add", $"{k}={v}"]);
        config.Run(argv);
    }
}
