using System.Text.Json;
using System.Text.Json.Nodes;

namespace Futuswarm.Cluster.Provisioning.Identity;

/// <summary>
/// IAM policy documents compared by meaning, not by text: keys in any order, statements in any order, a single
/// action or resource written as a string or as a one-element list, action names in any case. A document that
/// differs after <see cref="Normalize"/> grants something else (a widened resource, a dropped condition): drift.
/// </summary>
public static class PolicyDocument
{
    /// <summary>The canonical JSON of <paramref name="json"/>; null when it is not a policy document.</summary>
    public static string? Normalize(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root) return null;
            var doc = new JsonObject();
            foreach (var (key, value) in Sorted(root))
                doc[key] = key == "Statement" ? Statements(value) : value?.DeepClone();
            return doc.ToJsonString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public static bool SameMeaning(string? a, string? b) => Normalize(a) is { } x && x == Normalize(b);

    /// <summary>Each statement of a document as one readable line, for plans: "Allow s3:getobject on arn:... when ...".</summary>
    public static IReadOnlyList<string> Lines(string? json)
    {
        if (Normalize(json) is not { } normal) return json is null ? [] : ["(not a readable policy document)"];
        var statements = JsonNode.Parse(normal)!["Statement"] as JsonArray ?? [];
        return statements.OfType<JsonObject>().Select(Line).ToList();
    }

    private static string Line(JsonObject s)
    {
        var text = $"{Text(s["Effect"])} {Join(s["Action"] ?? s["NotAction"])}";
        if (s["Resource"] is { } r) text += $" on {Join(r)}";
        if (s["Principal"] is JsonObject p) text += $" by {string.Join(", ", p.Select(kv => $"{kv.Key} {Join(kv.Value)}"))}";
        if (s["Condition"] is JsonObject c)
            text += " when " + string.Join(" and ", c.SelectMany(op => op.Value is JsonObject keys
                ? keys.Select(k => $"{op.Key} {k.Key} = {Join(k.Value)}")
                : [$"{op.Key} {op.Value?.ToJsonString()}"]));
        return text;
    }

    private static string Join(JsonNode? node) => node is JsonArray a ? string.Join(", ", a.Select(Text)) : Text(node);

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Sorted(JsonObject o) => o.OrderBy(p => p.Key, StringComparer.Ordinal);

    private static JsonArray Statements(JsonNode? value)
    {
        var list = value is JsonArray a ? a.ToList() : [value];
        var canonical = list.Select(s => Statement(s as JsonObject ?? throw new FormatException("a statement is not an object")).ToJsonString())
            .Distinct().Order(StringComparer.Ordinal);
        return new JsonArray(canonical.Select(j => JsonNode.Parse(j)).ToArray());
    }

    private static JsonObject Statement(JsonObject s)
    {
        var r = new JsonObject();
        foreach (var (key, value) in Sorted(s))
            r[key] = key switch
            {
                "Action" or "NotAction" => List(value, lower: true),
                "Resource" or "NotResource" => List(value),
                "Principal" or "NotPrincipal" => value is JsonObject p ? Map(p, v => List(v)) : value?.DeepClone(),
                "Condition" => value is JsonObject c ? Map(c, op => op is JsonObject keys ? Map(keys, v => List(v)) : op?.DeepClone()) : value?.DeepClone(),
                _ => value?.DeepClone(),
            };
        return r;
    }

    private static JsonObject Map(JsonObject o, Func<JsonNode?, JsonNode?> each)
    {
        var r = new JsonObject();
        foreach (var (key, value) in Sorted(o)) r[key] = each(value);
        return r;
    }

    private static JsonArray List(JsonNode? value, bool lower = false)
    {
        var items = (value is JsonArray a ? a.ToList() : [value]).Select(Text).Select(t => lower ? t.ToLowerInvariant() : t)
            .Distinct().Order(StringComparer.Ordinal);
        return new JsonArray(items.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
    }
}
