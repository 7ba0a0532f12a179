using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Build.Manager;

/// <summary>
/// The manager binaries as the node steps install them (a .tar.gz and the fingerprint of what it was built from).
/// Publishing takes seconds, so it happens only when a node lacks this fingerprint; the archive is kept under
/// artifacts/ per fingerprint, so several nodes (or runs) share one publish.
/// </summary>
static class ManagerBundles
{
    static string Project => Path.Combine(BuildBase.RootDirectory, "Futuswarm.Cluster", "Futuswarm.Cluster.csproj");

    /// <summary>Framework-dependent, for a machine with .NET (the local cluster): started with dotnet and the dll.</summary>
    public static ManagerBundle FrameworkDependent(ILog log) => Bundle(rid: null, log);

    /// <summary>Self-contained for a node's architecture (linux-x64 or linux-arm64): AWS nodes have no .NET installed.</summary>
    public static ManagerBundle SelfContained(string rid, ILog log) => Bundle(rid, log);

    static ManagerBundle Bundle(string? rid, ILog log)
    {
        var source = SourceFingerprint.Of([Path.Combine(BuildBase.RootDirectory, "Futuswarm.Cluster")], SourceFingerprint.RepoWideFiles);
        var fingerprint = rid is null ? source : $"{rid}-{source}";
        return new ManagerBundle(fingerprint, ct => ArchiveAsync(fingerprint, rid, log, ct));
    }

    static readonly SemaphoreSlim OnePublish = new(1, 1);

    static async Task<byte[]> ArchiveAsync(string fingerprint, string? rid, ILog log, CancellationToken ct)
    {
        var dir = Path.Combine(BuildBase.RootDirectory, "artifacts", "manager-bundles");
        var archive = Path.Combine(dir, fingerprint + ".tar.gz");
        await OnePublish.WaitAsync(ct);
        try
        {
            if (!File.Exists(archive))
            {
                var staging = Path.Combine(dir, fingerprint + ".publish");
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
                string[] args = ["publish", Project, "-c", "Release", "-o", staging, "-nologo", "-v:q", "-nodeReuse:false", "-p:UseSharedCompilation=false",
                    .. rid is null ? Array.Empty<string>() : ["-r", rid, "--self-contained", "true"]];
                await Proc.RunAsync(LocalCluster.ManagerLayout.Dotnet, args, new ProcOptions { Log = log, Timeout = TimeSpan.FromMinutes(5) }, ct);
                await Proc.RunAsync("tar", ["-czf", archive + ".tmp", "-C", staging, "."], new ProcOptions { Log = log }, ct);
                File.Move(archive + ".tmp", archive, overwrite: true);
                Directory.Delete(staging, recursive: true);
                foreach (var stale in Directory.EnumerateFiles(dir, "*.tar.gz").Where(f => f != archive && (rid is null ? !Path.GetFileName(f).StartsWith("linux-") : Path.GetFileName(f).StartsWith(rid + "-"))))
                    File.Delete(stale);
                log.Info($"published the manager binaries{(rid is null ? "" : $" for {rid}")} ({new FileInfo(archive).Length / 1024} KiB)");
            }
            return await File.ReadAllBytesAsync(archive, ct);
        }
        finally { OnePublish.Release(); }
    }
}
