using System.Net;
using System.Text.RegularExpressions;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes;

public enum NodeRole { FirstManager, Manager, Worker }

/// <summary>docker_gwbridge created first under our own interface name (two engines on one host, see LocalCluster).</summary>
public sealed record GwBridgeSpec(string InterfaceName, string Subnet);

/// <summary>The SSM SecureStrings holding the swarm's two join tokens (ClusterNames.JoinTokenParameter).</summary>
public sealed record JoinTokenParameters(string Worker, string Manager)
{
    public string For(bool manager) => manager ? Manager : Worker;
}

/// <summary>Everything the bootstrap steps take from outside. Every value is checked by <see cref="Validate"/> before a
/// step runs, so commands are built only from values of a known shape. Secrets are not part of it: the join token
/// comes from a token source (SSH) or from the SSM parameter named here (cloud-init).</summary>
public sealed partial record NodeSpec
{
    /// <summary>The node's name in the cluster; set as the node label futuswarm.node, which repair matches on.</summary>
    public required string Name { get; init; }
    public required NodeRole Role { get; init; }
    /// <summary>The address the swarm advertises for this node; null lets the engine pick (one-interface nodes).</summary>
    public string? AdvertiseAddress { get; init; }
    public int SwarmPort { get; init; } = 2377;
    /// <summary>host:port of a manager, for joining.</summary>
    public string? ManagerAddress { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string DockerSocket { get; init; } = "/var/run/docker.sock";
    public string DockerCli { get; init; } = "docker";
    public string DaemonJsonPath { get; init; } = "/etc/docker/daemon.json";
    /// <summary>How the engine is restarted after daemon.json changed (a test node's dockerd is no systemd unit).</summary>
    public IReadOnlyList<string> EngineRestart { get; init; } = ["systemctl", "restart", "docker"];
    public string LogMaxSize { get; init; } = "10m";
    public int LogMaxFiles { get; init; } = 3;
    public string OverlayNetwork { get; init; } = "futuswarm";
    /// <summary>A root-only directory for the short-lived join request file.</summary>
    public string WorkDir { get; init; } = "/run/futuswarm";
    public GwBridgeSpec? GwBridge { get; init; }

    /// <summary>cloud-init only: the SSM SecureString holding the join token, and its region.</summary>
    public string? JoinTokenParameter { get; init; }
    public string? Region { get; init; }
    /// <summary>A first manager writes both join tokens here so that nodes booting beside it can join; null: it
    /// publishes nothing (a cluster without SSM, e.g. the local one).</summary>
    public JoinTokenParameters? PublishJoinTokens { get; init; }
    /// <summary>cloud-init only: a joining node polls its parameter this often and this many times (10 s x 90 = 15 min)
    /// while the first manager has not published it yet; tests make the bound small.</summary>
    public int JoinTokenWaitSeconds { get; init; } = 10;
    public int JoinTokenWaitAttempts { get; init; } = 90;
    /// <summary>A manager's own services (API users, binaries, host key, daemon, API sshd); null: the swarm only.</summary>
    public Manager.ManagerServicesSpec? ManagerServices { get; init; }

    public const string NodeLabel = "futuswarm.node";

    public bool IsManager => Role != NodeRole.Worker;
    public string DockerHost => "unix://" + DockerSocket;

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")] private static partial Regex NameRule();
    [GeneratedRegex("^/[A-Za-z0-9._/-]{1,200}$")] private static partial Regex PathRule();
    [GeneratedRegex("^/?[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")] private static partial Regex ProgramRule();
    [GeneratedRegex("^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$")] private static partial Regex LabelKeyRule();
    [GeneratedRegex("^[A-Za-z0-9._:/-]{0,128}$")] private static partial Regex LabelValueRule();
    [GeneratedRegex("^[1-9][0-9]{0,4}[kmg]$")] private static partial Regex SizeRule();
    [GeneratedRegex("^/[A-Za-z0-9._/-]{1,500}$")] private static partial Regex ParameterRule();
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]$")] private static partial Regex RegionRule();
    [GeneratedRegex("^[A-Za-z0-9._=:/,+-]{1,200}$")] private static partial Regex RestartArgRule();

    /// <summary>Throws FSW6045 listing every bad value; returns the spec for chaining.</summary>
    public NodeSpec Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, string problem) { if (!ok) problems.Add(problem); }

        Check(NameRule().IsMatch(Name), $"name '{Name}' must be 1-63 of a-z, 0-9, '-'");
        Check(AdvertiseAddress is null || IPAddress.TryParse(AdvertiseAddress, out _), $"advertise address '{AdvertiseAddress}' is not an IP address");
        Check(SwarmPort is > 0 and < 65536, $"swarm port {SwarmPort} is out of range");
        if (Role != NodeRole.FirstManager)
            Check(ManagerAddress is not null && IPEndPoint.TryParse(ManagerAddress, out var ep) && ep.Port > 0,
                $"manager address '{ManagerAddress}' must be ip:port (a joining node needs one)");
        foreach (var (k, v) in Labels)
        {
            Check(LabelKeyRule().IsMatch(k), $"label key '{k}' must be a-z, 0-9, '.', '_', '-'");
            Check(LabelValueRule().IsMatch(v), $"label value of '{k}' has characters outside A-Z a-z 0-9 . _ : / -");
        }
        Check(!Labels.ContainsKey(NodeLabel), $"label '{NodeLabel}' is set from the node's name");
        foreach (var (what, path) in new[] { ("docker socket", DockerSocket), ("daemon.json path", DaemonJsonPath), ("work directory", WorkDir) })
            Check(PathRule().IsMatch(path) && !path.Contains(".."), $"{what} '{path}' must be an absolute path of A-Z a-z 0-9 . _ / -");
        Check(ProgramRule().IsMatch(DockerCli) && !DockerCli.Contains(".."), $"docker CLI '{DockerCli}' is not a plain program path");
        Check(EngineRestart.Count > 0 && ProgramRule().IsMatch(EngineRestart[0]) && EngineRestart.All(a => RestartArgRule().IsMatch(a)),
            "engine restart command must be a program and plain arguments");
        Check(SizeRule().IsMatch(LogMaxSize), $"log max size '{LogMaxSize}' must be like 10m");
        Check(LogMaxFiles is >= 1 and <= 100, $"log max files {LogMaxFiles} must be 1-100");
        Check(LabelKeyRule().IsMatch(OverlayNetwork), $"overlay network name '{OverlayNetwork}' is not a plain name");
        if (GwBridge is { } gw)
        {
            Check(gw.InterfaceName.Length is > 0 and <= 15 && LabelKeyRule().IsMatch(gw.InterfaceName), $"gwbridge interface '{gw.InterfaceName}' is not a valid interface name");
            Check(IPNetwork.TryParse(gw.Subnet, out _), $"gwbridge subnet '{gw.Subnet}' is not a CIDR");
        }
        Check(JoinTokenParameter is null || ParameterRule().IsMatch(JoinTokenParameter), $"join token parameter '{JoinTokenParameter}' is not an SSM parameter path");
        if (PublishJoinTokens is { } pub)
            foreach (var (what, name) in new[] { ("worker", pub.Worker), ("manager", pub.Manager) })
                Check(ParameterRule().IsMatch(name), $"{what} join token parameter '{name}' is not an SSM parameter path");
        Check(PublishJoinTokens is null || Region is not null, "publishing the join tokens needs the region");
        Check(JoinTokenWaitSeconds is >= 0 and <= 300, $"join token wait {JoinTokenWaitSeconds} s must be 0-300");
        Check(JoinTokenWaitAttempts is >= 1 and <= 1000, $"join token attempts {JoinTokenWaitAttempts} must be 1-1000");
        Check(Region is null || RegionRule().IsMatch(Region), $"region '{Region}' is not an AWS region name");
        Check(ManagerServices is null || IsManager, "a worker runs no manager services");
        ManagerServices?.Validate(problems);

        if (problems.Count > 0)
            throw new FswException(ErrorCodes.NodeSpecInvalid,
                $"{ErrorCodes.NodeSpecInvalid}: node '{Name}' cannot be bootstrapped: {string.Join("; ", problems)}.", problems);
        return this;
    }

    /// <summary>The labels the node must carry: the spec's and its name.</summary>
    public IReadOnlyDictionary<string, string> DesiredLabels() =>
        new SortedDictionary<string, string>(Labels.ToDictionary(), StringComparer.Ordinal) { [NodeLabel] = Name };

    /// <summary>docker with this node's engine socket, never the default one.</summary>
    public string[] Docker(params string[] args) => [DockerCli, "-H", DockerHost, .. args];
}
