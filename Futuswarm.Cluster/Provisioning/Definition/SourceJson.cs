using System.Text;
using System.Text.Json;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>Where a token starts in the definition file, 1-based, in characters.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// A JSON value read from the definition file together with where it stands. JsonDocument forgets positions,
/// and ops fix a file faster when a message says "line 14, column 16", so the loader reads its own small tree.
/// </summary>
internal abstract record SourceNode(SourcePosition At)
{
    /// <summary>What a message calls this kind of value ("a string", "an object").</summary>
    public abstract string Kind { get; }
}

internal sealed record SourceProperty(string Name, SourcePosition At, SourceNode Value);

/// <summary>Properties in file order, repeats included, so the binder can refuse a field given twice.</summary>
internal sealed record SourceObject(SourcePosition At, IReadOnlyList<SourceProperty> Properties) : SourceNode(At)
{
    public override string Kind => "an object";
}

internal sealed record SourceArray(SourcePosition At, IReadOnlyList<SourceNode> Items) : SourceNode(At)
{
    public override string Kind => "a list";
}

internal enum ScalarKind { String, Number, True, False, Null }

/// <summary>A string (its value) or a number (its text as written, so 2.0 and 2 can be told apart).</summary>
internal sealed record SourceScalar(SourcePosition At, ScalarKind ScalarKind, string Text) : SourceNode(At)
{
    public override string Kind => ScalarKind switch
    {
        ScalarKind.String => "a string",
        ScalarKind.Number => "a number",
        ScalarKind.Null => "null",
        _ => "true/false",
    };
}

/// <summary>Reads JSON with comments and trailing commas into <see cref="SourceNode"/>s.</summary>
internal static class SourceJson
{
    static readonly JsonReaderOptions Options = new()
    {
        // Ops annotate the file: why this CIDR, who this admin is.
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <exception cref="JsonException">Not JSON; LineNumber and BytePositionInLine say where.</exception>
    public static SourceNode Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith(Encoding.UTF8.Preamble)) utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        var lines = new LineMap(utf8);
        var reader = new Utf8JsonReader(utf8, Options);
        if (!reader.Read()) throw new JsonException("the file holds no JSON value", null, 0, 0);
        var root = ReadValue(ref reader, lines);
        if (reader.Read()) throw new JsonException("more than one JSON value; the definition is a single object", null, lines.At(reader.TokenStartIndex).Line - 1, 0);
        return root;
    }

    static SourceNode ReadValue(ref Utf8JsonReader reader, LineMap lines)
    {
        var at = lines.At(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<SourceProperty>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    var nameAt = lines.At(reader.TokenStartIndex);
                    reader.Read();
                    properties.Add(new SourceProperty(name, nameAt, ReadValue(ref reader, lines)));
                }
                return new SourceObject(at, properties);
            case JsonTokenType.StartArray:
                var items = new List<SourceNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, lines));
                return new SourceArray(at, items);
            case JsonTokenType.String:
                return new SourceScalar(at, ScalarKind.String, reader.GetString()!);
            case JsonTokenType.Number:
                return new SourceScalar(at, ScalarKind.Number, Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
                return new SourceScalar(at, ScalarKind.True, "true");
            case JsonTokenType.False:
                return new SourceScalar(at, ScalarKind.False, "false");
            default:
                return new SourceScalar(at, ScalarKind.Null, "null");
        }
    }

    /// <summary>Turns byte offsets into line and character column (a UTF-8 continuation byte is no new column).</summary>
    sealed class LineMap
    {
        readonly List<int> _lineStarts = [0];
        readonly byte[] _text;

        public LineMap(ReadOnlySpan<byte> utf8)
        {
            _text = utf8.ToArray();
            for (var i = 0; i < _text.Length; i++)
                if (_text[i] == (byte)'\n') _lineStarts.Add(i + 1);
        }

        public SourcePosition At(long offset)
        {
            var index = _lineStarts.BinarySearch((int)offset);
            var line = index >= 0 ? index : ~index - 1;
            var column = 1;
            for (var i = _lineStarts[line]; i < offset; i++)
                if ((_text[i] & 0xC0) != 0x80) column++;
            return new SourcePosition(line + 1, column);
        }
    }
}
