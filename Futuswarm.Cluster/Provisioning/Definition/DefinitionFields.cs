using System.Globalization;
using System.Text.RegularExpressions;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>Collects problems instead of throwing at the first, so one run reports them all.</summary>
internal sealed class ProblemList
{
    public List<DefinitionProblem> Items { get; } = [];

    public void Unknown(string path, SourcePosition at, string message) => Items.Add(new(ErrorCodes.ClusterDefinitionUnknownField, path, at, message));
    public void Invalid(string path, SourcePosition? at, string message) => Items.Add(new(ErrorCodes.ClusterDefinitionInvalid, path, at, message));
    public void Add(string code, string path, SourcePosition? at, string message) => Items.Add(new(code, path, at, message));
}

/// <summary>
/// One JSON object of the definition with a fixed set of field names. Unknown and repeated fields are reported
/// when it is opened (an unknown field is most often a misspelt known one, whose intended value would silently
/// be ignored); typed getters report a wrong type, a missing required field or a broken rule, and return null.
/// A JSON null counts as "not given".
/// </summary>
internal sealed partial class DefinitionFields
{
    readonly ProblemList _problems;
    readonly Dictionary<string, SourceProperty> _given = new(StringComparer.Ordinal);

    public string Path { get; }
    public SourcePosition At { get; }

    DefinitionFields(SourceObject obj, string path, IReadOnlyList<string> known, ProblemList problems)
    {
        Path = path;
        At = obj.At;
        _problems = problems;
        foreach (var p in obj.Properties)
        {
            if (!known.Contains(p.Name))
                problems.Unknown(Child(path, p.Name), p.At, UnknownMessage(p.Name, path, known));
            else if (_given.TryGetValue(p.Name, out var first))
                problems.Unknown(Child(path, p.Name), p.At, $"given twice (first at line {first.At.Line}); keep one");
            else
                _given[p.Name] = p;
        }
    }

    /// <summary>Null (and a problem) when <paramref name="node"/> is not an object.</summary>
    public static DefinitionFields? Open(SourceNode node, string path, IReadOnlyList<string> known, ProblemList problems)
    {
        if (node is SourceObject obj) return new DefinitionFields(obj, path, known, problems);
        problems.Invalid(path, node.At, $"must be an object {{ ... }} with the fields {string.Join(", ", known)}, not {node.Kind}");
        return null;
    }

    public static string Child(string path, string field) =>
        path.Length == 0 ? field : IdentifierLike().IsMatch(field) ? $"{path}.{field}" : $"{path}[\"{field}\"]";

    public static string Item(string path, int index) => $"{path}[{index}]";

    public string PathOf(string field) => Child(Path, field);

    /// <summary>The value node, or null when absent or null; a missing required field is reported with <paramref name="hint"/>.</summary>
    public SourceNode? Node(string field, string? requiredHint = null)
    {
        if (_given.TryGetValue(field, out var p) && !(p.Value is SourceScalar { ScalarKind: ScalarKind.Null }))
            return p.Value;
        if (requiredHint is not null)
            _problems.Invalid(PathOf(field), At, $"is missing; {requiredHint}");
        return null;
    }

    public string? String(string field, Func<string, string?> rule, string? requiredHint = null)
    {
        if (Node(field, requiredHint) is not { } node) return null;
        return AsString(node, PathOf(field), rule, _problems);
    }

    public static string? AsString(SourceNode node, string path, Func<string, string?> rule, ProblemList problems)
    {
        if (node is not SourceScalar { ScalarKind: ScalarKind.String, Text: var text })
        {
            var example = node is SourceScalar { ScalarKind: ScalarKind.Number, Text: var number } ? $" (\"{number}\")" : "";
            problems.Invalid(path, node.At, $"must be a string in quotes{example}, not {node.Kind}");
            return null;
        }
        if (rule(text) is { } reason)
        {
            problems.Invalid(path, node.At, reason);
            return null;
        }
        return text;
    }

    /// <summary>A whole number within [min, max]; <paramref name="why"/> follows the bounds in the message, so ops learn why they are there.</summary>
    public int? Int(string field, int min, int max, string why, string? requiredHint = null)
    {
        if (Node(field, requiredHint) is not { } node) return null;
        if (node is SourceScalar { ScalarKind: ScalarKind.String, Text: var quoted } && long.TryParse(quoted, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            _problems.Invalid(PathOf(field), node.At, $"must be a number; write {quoted} without quotes");
            return null;
        }
        if (node is not SourceScalar { ScalarKind: ScalarKind.Number, Text: var text })
        {
            _problems.Invalid(PathOf(field), node.At, $"must be a whole number, not {node.Kind}");
            return null;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            _problems.Invalid(PathOf(field), node.At, $"must be a whole number, not {text}");
            return null;
        }
        if (value < min || value > max)
        {
            var range = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
            _problems.Invalid(PathOf(field), node.At, $"must be {range}, not {text}: {why}");
            return null;
        }
        return (int)value;
    }

    public bool? Bool(string field)
    {
        if (Node(field) is not { } node) return null;
        if (node is SourceScalar { ScalarKind: ScalarKind.True }) return true;
        if (node is SourceScalar { ScalarKind: ScalarKind.False }) return false;
        _problems.Invalid(PathOf(field), node.At, $"must be true or false (without quotes), not {node.Kind}");
        return null;
    }

    public SourceArray? Array(string field, string? requiredHint = null)
    {
        if (Node(field, requiredHint) is not { } node) return null;
        if (node is SourceArray array) return array;
        _problems.Invalid(PathOf(field), node.At, $"must be a list [ ... ], not {node.Kind}");
        return null;
    }

    /// <summary>A nested object with its own known fields; null when absent (reported only if required) or not an object.</summary>
    public DefinitionFields? Object(string field, IReadOnlyList<string> known, string? requiredHint = null) =>
        Node(field, requiredHint) is { } node ? Open(node, PathOf(field), known, _problems) : null;

    static string UnknownMessage(string name, string path, IReadOnlyList<string> known)
    {
        var where = path.Length == 0 ? "the definition" : path;
        var guess = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            ?? known.Where(k => Distance(k, name) <= 2).OrderBy(k => Distance(k, name)).FirstOrDefault();
        return $"'{name}' is not a field of {where}; {(guess is null ? "" : $"did you mean '{guess}'? ")}the fields are {string.Join(", ", known)}";
    }

    /// <summary>Levenshtein distance, for "did you mean" on short field names.</summary>
    static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex IdentifierLike();
}
