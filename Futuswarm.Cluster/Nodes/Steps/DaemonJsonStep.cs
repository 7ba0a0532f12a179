using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>Container logs rotate (json-file, max-size, max-file), merged into whatever daemon.json already holds.
/// Written only if the merged document differs; only then is the engine restarted.</summary>
public sealed class DaemonJsonStep : NodeStep
{
    public override string Name => "daemon.json";

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var spec = ctx.Spec;
        var bytes = await ctx.Node.ReadFileAsync(spec.DaemonJsonPath, ct);
        var current = Parse(bytes, spec, ctx.Node);
        var merged = Merge(current, spec);
        if (JsonNode.DeepEquals(current, merged)) return Skip($"log rotation set ({spec.LogMaxSize} x {spec.LogMaxFiles})");

        await ctx.Node.WriteFileAsync(spec.DaemonJsonPath, Encoding.UTF8.GetBytes(Format(merged)),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, ct);
        await ctx.MustAsync(Name, ctx.Node, [.. spec.EngineRestart], ct);
        await EngineWait.AnswersAsync(ctx, TimeSpan.FromSeconds(60), ct);
        return Did($"log rotation written ({spec.LogMaxSize} x {spec.LogMaxFiles}), engine restarted");
    }

    public override void Render(NodeSpec spec, CloudConfig config)
    {
        // A fresh instance has no daemon.json; write_files runs before the package installs, so the engine starts
        // with it. The restart keeps the step's meaning if an image already had Docker running.
        config.Write(spec.DaemonJsonPath, Format(Merge(new JsonObject(), spec)), "0644");
        config.Run([.. spec.EngineRestart]);
    }

    public static JsonObject Merge(JsonObject current, NodeSpec spec)
    {
        var merged = (JsonObject)current.DeepClone();
        merged["log-driver"] = "json-file";
        var opts = merged["log-opts"] as JsonObject ?? new JsonObject();
        opts = (JsonObject)opts.DeepClone();
        opts["max-size"] = spec.LogMaxSize;
        opts["max-file"] = spec.LogMaxFiles.ToString(System.Globalization.CultureInfo.InvariantCulture); // dockerd wants strings
        merged["log-opts"] = opts;
        return merged;
    }

    static JsonObject Parse(byte[]? bytes, NodeSpec spec, INodeShell node)
    {
        if (bytes is null || bytes.Length == 0 || Encoding.UTF8.GetString(bytes).Trim().Length == 0) return new JsonObject();
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new FswException(ErrorCodes.NodeEngineConfigInvalid,
                $"{ErrorCodes.NodeEngineConfigInvalid}: {spec.DaemonJsonPath} on {node.Name} is not a JSON object ({e.Message}); " +
                "the engine would not start with it either. Fix or remove the file and run again.");
        }
    }

    static string Format(JsonObject o) => o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
