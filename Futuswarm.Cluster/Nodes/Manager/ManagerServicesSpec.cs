using System.Net;
using System.Text.RegularExpressions;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>How a manager's services are kept running: systemd units on AWS nodes; a pid file and
/// start-stop-daemon where there is no systemd (the local cluster, the test bed's namespace nodes).</summary>
public enum ServiceSupervisorKind { Systemd, PidFile }

/// <summary>The manager binaries to install: what they were built from (cheap to compute, compared with the node's
/// installed fingerprint) and the .tar.gz itself, made only when the node lacks it.</summary>
public sealed record ManagerBundle(string Fingerprint, Func<CancellationToken, Task<byte[]>> Archive);

/// <summary>The API host key to install: its public half (compared with the node's) and its private half, opened
/// from the store only when the node lacks it. Never logged.</summary>
public sealed record ApiHostKeySource(string PublicKey, Func<CancellationToken, Task<byte[]>> OpenPrivateKey);

/// <summary>Where a first boot fetches the bundle: an object of the state bucket (SSE-KMS; the manager's role reads it).</summary>
public sealed record ManagerBundleObject(string Bucket, string Key, string Region);

/// <summary>The edge proxy's host directory and the unprivileged uid its image runs as (LocalCluster's edge: 1654).</summary>
public sealed record EdgeDirectorySpec(string Path, int Uid);

/// <summary>What the manager steps set up on a manager (DESIGN.md section 4): the API users, the manager binaries,
/// the API host key, the manager daemon (which starts the edge proxy) and the API sshd in front of it.</summary>
public sealed partial record ManagerServicesSpec
{
    public required string Root { get; init; }
    public ManagerPaths Paths => new(Root);
    /// <summary>managerd.json (no secrets: the daemon unseals what it needs from the store).</summary>
    public required string DaemonConfigJson { get; init; }
    /// <summary>Variables the daemon starts with, written to a root-only file (e.g. a test S3 server's credentials).</summary>
    public IReadOnlyDictionary<string, string> DaemonEnvironment { get; init; } = new Dictionary<string, string>();
    public required ManagerBundle Bundle { get; init; }
    /// <summary>cloud-init only: the bundle as the node copies it from S3 itself; null: installed over SSH only.</summary>
    public ManagerBundleObject? BundleObject { get; init; }
    /// <summary>How the daemon is started before its own arguments ("managerd --config ..."): the bundle's launcher,
    /// or dotnet and the dll where .NET is installed.</summary>
    public required IReadOnlyList<string> Launcher { get; init; }
    /// <summary>Null: a key made on the node at its first run (the local cluster); otherwise the cluster's, from the store.</summary>
    public ApiHostKeySource? HostKey { get; init; }
    public string HostKeyComment { get; init; } = "futuswarm-api";
    public string ApiListenAddress { get; init; } = "0.0.0.0";
    public int ApiPort { get; init; } = ManagerPaths.ApiPort;
    public ServiceSupervisorKind Supervisor { get; init; } = ServiceSupervisorKind.Systemd;
    /// <summary>How long the daemon may take to open its socket (it first starts the edge, which may pull an image).</summary>
    public int StartSeconds { get; init; } = 120;
    /// <summary>The edge's bind-mounted directory, made by the node bootstrap; null: prepared elsewhere (the local cluster).</summary>
    public EdgeDirectorySpec? EdgeDirectory { get; init; }
    /// <summary>Run ensure-database-master before the daemon starts (a cluster whose database admin is sealed in the store).</summary>
    public bool EnsureDatabaseMaster { get; init; }
    public string Sshd { get; init; } = "/usr/sbin/sshd";
    public string Jq { get; init; } = "/usr/bin/jq";

    [GeneratedRegex("^/[A-Za-z0-9._/-]{1,200}$")] private static partial Regex PathRule();
    [GeneratedRegex("^[A-Za-z0-9._:/=,+-]{1,300}$")] private static partial Regex ArgRule();
    [GeneratedRegex("^[A-Z_][A-Z0-9_]{0,63}$")] private static partial Regex VariableRule();
    [GeneratedRegex("^[A-Za-z0-9._@-]{1,100}$")] private static partial Regex CommentRule();
    [GeneratedRegex("^[A-Za-z0-9._:+/=-]{8,200}$")] private static partial Regex FingerprintRule();
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] private static partial Regex BucketRule();
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,500}$")] private static partial Regex ObjectKeyRule();
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]$")] private static partial Regex RegionRule();

    internal void Validate(List<string> problems)
    {
        void Check(bool ok, string problem) { if (!ok) problems.Add(problem); }
        foreach (var (what, path) in new[] { ("manager root", Root), ("sshd", Sshd), ("jq", Jq) })
            Check(PathRule().IsMatch(path) && !path.Contains(".."), $"{what} '{path}' must be an absolute path of A-Z a-z 0-9 . _ / -");
        Check(Launcher.Count > 0 && PathRule().IsMatch(Launcher[0]) && Launcher.All(a => ArgRule().IsMatch(a)),
            "the daemon's launcher must be an absolute program path and plain arguments");
        Check(IPAddress.TryParse(ApiListenAddress, out _), $"API listen address '{ApiListenAddress}' is not an IP address");
        Check(ApiPort is > 0 and < 65536 && ApiPort != 22, $"API port {ApiPort} must be 1-65535 and not 22 (admin SSH)");
        Check(StartSeconds is >= 1 and <= 900, $"daemon start limit {StartSeconds} s must be 1-900");
        Check(CommentRule().IsMatch(HostKeyComment), $"host key comment '{HostKeyComment}' is not plain");
        Check(FingerprintRule().IsMatch(Bundle.Fingerprint), "the bundle's fingerprint is not a plain hash");
        Check(HostKey is null || HostKey.PublicKey.StartsWith("ssh-ed25519 ", StringComparison.Ordinal) && !HostKey.PublicKey.Contains('\n'),
            "the API host key must be one ssh-ed25519 public key");
        foreach (var (k, v) in DaemonEnvironment)
        {
            Check(VariableRule().IsMatch(k), $"daemon environment variable '{k}' must be A-Z, 0-9, '_'");
            Check(!v.Contains('\0') && !v.Contains('\n'), $"daemon environment variable '{k}' has a newline or NUL"); // value not named: it may be secret
        }
        if (BundleObject is { } o)
        {
            Check(BucketRule().IsMatch(o.Bucket), $"bundle bucket '{o.Bucket}' is not an S3 bucket name");
            Check(ObjectKeyRule().IsMatch(o.Key) && !o.Key.Contains(".."), $"bundle key '{o.Key}' is not a plain S3 key");
            Check(RegionRule().IsMatch(o.Region), $"bundle region '{o.Region}' is not an AWS region name");
        }
        Check(DaemonConfigJson.Length > 0, "the daemon's configuration is empty");
        if (EdgeDirectory is { } edge)
        {
            Check(PathRule().IsMatch(edge.Path) && !edge.Path.Contains("..") && edge.Path.Count(c => c == '/') >= 2,
                $"edge directory '{edge.Path}' must be an absolute path of A-Z a-z 0-9 . _ / - below a top-level directory");
            Check(edge.Uid is >= 1 and <= 65533, $"edge uid {edge.Uid} must be 1-65533 (not root)");
        }
    }
}
