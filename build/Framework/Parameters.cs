namespace Futuswarm.Build.Framework;

/// <summary>Marks a field or property of the build class as a parameter: <c>--kebab-name value</c>, else the
/// environment variable <c>FUTUSWARM_KEBAB_NAME</c>. bool = flag, string[] = repeatable, string/int = value.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;
    /// <summary>Never printed: redacted from help, logs, process errors and failure messages.</summary>
    public bool Secret { get; init; }
}

public enum ParameterKind { Value, Flag, List }

public sealed record ParameterSpec(string Name, string Description, ParameterKind Kind, bool Secret = false, string? Default = null)
{
    public string EnvName => "FUTUSWARM_" + Name.ToUpperInvariant().Replace('-', '_');

    /// <summary>Case- and dash-insensitive key, so --edge-port, --EdgePort and --edge_port are one parameter.</summary>
    public static string Key(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>EdgePort -> edge-port (Nuke's naming of members as arguments).</summary>
    public static string KebabFromMember(string member)
    {
        var chars = new List<char>();
        for (var i = 0; i < member.Length; i++)
        {
            var c = member[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(member[i - 1]) ||
                (i + 1 < member.Length && char.IsLower(member[i + 1]) && char.IsUpper(member[i - 1]))))
                chars.Add('-');
            chars.Add(char.ToLowerInvariant(c));
        }
        return new string(chars.ToArray());
    }
}

/// <summary>What the command line asked for: target names, and each parameter's raw values (args win over env).</summary>
public sealed record ParsedCommandLine(IReadOnlyList<string> Targets, IReadOnlyDictionary<string, IReadOnlyList<string>> Values)
{
    public IReadOnlyList<string>? Raw(ParameterSpec spec) => Values.GetValueOrDefault(spec.Name);
    public bool Flag(ParameterSpec spec) => Raw(spec) is [var v, ..] && v == "true";
}

/// <summary>Pure parsing of arguments and environment into <see cref="ParsedCommandLine"/>.</summary>
public static class CommandLineParser
{
    public static ParsedCommandLine Parse(IReadOnlyList<string> args, IReadOnlyList<ParameterSpec> specs, Func<string, string?> env)
    {
        var byKey = specs.ToDictionary(s => ParameterSpec.Key(s.Name));
        var targets = new List<string>();
        var fromArgs = new Dictionary<string, List<string>>();

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-") { targets.Add(arg); continue; }
            var body = arg.TrimStart('-');
            string? inline = null;
            var eq = body.IndexOf('=');
            if (eq >= 0) { inline = body[(eq + 1)..]; body = body[..eq]; }
            if (arg == "-h") body = "help";
            if (!byKey.TryGetValue(ParameterSpec.Key(body), out var spec))
                throw new UsageException($"Unknown parameter '{arg}'. Known: {string.Join(", ", specs.Select(s => "--" + s.Name))}.");

            string value;
            if (spec.Kind == ParameterKind.Flag)
            {
                value = inline ?? (i + 1 < args.Count && IsBool(args[i + 1]) ? args[++i] : "true");
                value = ParseBool(value, spec) ? "true" : "false";
            }
            else if (inline is not null) value = inline;
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--")) value = args[++i];
            else throw new UsageException($"Parameter '--{spec.Name}' needs a value.");

            if (!fromArgs.TryGetValue(spec.Name, out var list)) fromArgs[spec.Name] = list = [];
            if (spec.Kind != ParameterKind.List && list.Count > 0)
                throw new UsageException($"Parameter '--{spec.Name}' is given twice.");
            list.Add(value);
        }

        var values = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var spec in specs)
        {
            if (fromArgs.TryGetValue(spec.Name, out var list)) { values[spec.Name] = list; continue; }
            var e = env(spec.EnvName);
            if (string.IsNullOrEmpty(e)) continue;
            values[spec.Name] = spec.Kind switch
            {
                // Several values in one variable: one per line, or separated by ';'.
                ParameterKind.List => e.Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                ParameterKind.Flag => [ParseBool(e, spec) ? "true" : "false"],
                _ => [e],
            };
        }
        return new ParsedCommandLine(targets, values);
    }

    static bool IsBool(string s) => s is "true" or "false" or "True" or "False";

    static bool ParseBool(string s, ParameterSpec spec) => s.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new UsageException($"Parameter '--{spec.Name}' is a flag; '{s}' is not true or false."),
    };
}

/// <summary>A mistake in how the build was called: the runner prints it and exits with code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
