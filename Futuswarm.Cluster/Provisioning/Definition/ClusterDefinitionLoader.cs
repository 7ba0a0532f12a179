using System.Text;
using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>
/// Reads a cluster definition (docs/cluster-definition.md): JSON with comments and trailing commas, camelCase
/// fields, nothing unknown. Returns a definition with every default filled in, or throws
/// <see cref="ClusterDefinitionException"/> listing every problem with its code, field path and position.
/// </summary>
public static class ClusterDefinitionLoader
{
    public static ClusterDefinition Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Fail(path, null, $"cannot be read ({e.Message}); give the path of the cluster definition, such as docs/examples/cluster.json");
        }
        return Parse(bytes, path);
    }

    /// <param name="sourceName">What messages call the text: the file name, or e.g. "(test)".</param>
    public static ClusterDefinition Parse(string text, string sourceName) => Parse(Encoding.UTF8.GetBytes(text), sourceName);

    static ClusterDefinition Parse(byte[] utf8, string sourceName)
    {
        SourceNode root;
        try
        {
            root = SourceJson.Parse(utf8);
        }
        catch (JsonException e)
        {
            // Utf8JsonReader counts from 0 and in bytes; good enough for the ASCII that JSON syntax errors sit in.
            var at = e.LineNumber is { } line ? new SourcePosition((int)line + 1, (int)(e.BytePositionInLine ?? 0) + 1) : (SourcePosition?)null;
            throw Fail(sourceName, at, $"is not valid JSON: {WithoutPosition(e.Message)}");
        }
        var problems = new ProblemList();
        var definition = new DefinitionBinder(problems).Bind(root);
        // In file order, so ops can walk down the file fixing them (OrderBy is stable for equal positions).
        if (problems.Items.Count > 0)
            throw new ClusterDefinitionException(sourceName, problems.Items.OrderBy(p => p.At?.Line ?? 0).ThenBy(p => p.At?.Column ?? 0).ToList());
        return definition!;
    }

    static ClusterDefinitionException Fail(string sourceName, SourcePosition? at, string message) =>
        new(sourceName, [new DefinitionProblem(ErrorCodes.ClusterDefinitionUnreadable, "", at, message)]);

    /// <summary>The reader appends " LineNumber: 3 | BytePositionInLine: 5."; the problem already says where.</summary>
    static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd();
    }
}
