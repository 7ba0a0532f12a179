using System.Text.RegularExpressions;
using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>What ./build.sh LocalCluster was asked for, plus the paths derived from <see cref="Root"/>.</summary>
public sealed record LocalClusterSettings
{
    public string Root { get; init; } = "/var/lib/futuswarm/local";
    public bool Down { get; init; }
    public int EdgePort { get; init; } = 8080;
    /// <summary>Socket path of an engine to use instead of starting our own dockerd (never stopped by us).</summary>
    public string? Engine { get; init; }
    public bool UseExistingSwarm { get; init; }
    public string? Key { get; init; }
    public IReadOnlyList<LocalUser> Users { get; init; } = [];

    public string RunDir => Path.Combine(Root, "run");
    public string LogDir => Path.Combine(Root, "logs");
    public string StateFile => Path.Combine(RunDir, "started.json");
    public string OwnDockerSocket => Path.Combine(Root, "docker.sock");
    public string EdgeDir => Path.Combine(Root, "edge");

    /// <summary>Checks values a typo could break; throws <see cref="UsageException"/> (exit code 2).</summary>
    public LocalClusterSettings Validated()
    {
        if (!Path.IsPathFullyQualified(Root)) throw new UsageException($"FSW6009: --dir must be an absolute path, not '{Root}'.");
        if (EdgePort is < 1 or > 65535) throw new UsageException($"FSW6009: --edge-port must be 1-65535, not {EdgePort}.");
        if (Engine is not null && !Path.IsPathFullyQualified(Engine.Replace("unix://", "")))
            throw new UsageException($"FSW6009: --engine must be the absolute path of a Docker socket, not '{Engine}'.");
        return this with { Root = Path.TrimEndingDirectorySeparator(Root), Engine = Engine?.Replace("unix://", "") };
    }
}

/// <summary>A deployer the local API admits: <c>--user alice='ssh-ed25519 AAAA... alice@laptop'</c>.</summary>
public sealed partial record LocalUser(string Name, string PublicKey)
{
    public static LocalUser Parse(string value)
    {
        var eq = value.IndexOf('=');
        var name = eq > 0 ? value[..eq].Trim() : "";
        var key = eq > 0 ? value[(eq + 1)..].Trim() : "";
        if (!NamePattern().IsMatch(name) || key.Length == 0)
            throw new UsageException($"FSW6009: --user expects name=public-key (name: lower-case letters, digits, '-', '_'), not '{value}'.");
        return new LocalUser(name, key);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex NamePattern();
}
