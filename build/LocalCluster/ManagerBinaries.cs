using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>
/// Installs the manager binaries under the root, so a rebuild of the repo never changes a running daemon
/// behind its back; reports whether they changed (the daemon then restarts).
/// </summary>
static class ManagerBinaries
{
    const string SourceStamp = ".source-fingerprint";

    public static async Task<bool> InstallAsync(ManagerLayout layout, ILog log, CancellationToken ct)
    {
        // Publishing takes seconds; skip it when the sources of what is installed did not change.
        var source = SourceFingerprint.Of([Path.Combine(BuildBase.RootDirectory, "Futuswarm.Cluster")], SourceFingerprint.RepoWideFiles);
        var stamp = Path.Combine(layout.Lib, SourceStamp);
        if (File.Exists(stamp) && File.ReadAllText(stamp) == source && File.Exists(layout.ClusterDll))
        {
            log.Detail("manager binaries up to date");
            return false;
        }
        var staging = layout.Lib + ".new";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        var project = Path.Combine(BuildBase.RootDirectory, "Futuswarm.Cluster", "Futuswarm.Cluster.csproj");
        await Proc.RunAsync(ManagerLayout.Dotnet, ["publish", project, "-c", "Release", "-o", staging, "-nologo", "-v:q", "-nodeReuse:false", "-p:UseSharedCompilation=false"],
            new ProcOptions { Log = log, Timeout = TimeSpan.FromMinutes(5) }, ct);
        File.WriteAllText(Path.Combine(staging, SourceStamp), source);
        if (Directory.Exists(layout.Lib)) Directory.Delete(layout.Lib, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(layout.Lib)!);
        Directory.Move(staging, layout.Lib);
        log.Info($"installed the manager binaries in {layout.Lib}");
        return true;
    }
}
