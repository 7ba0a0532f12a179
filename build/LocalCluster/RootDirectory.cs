using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The data root and its lock. sshd's AuthorizedKeysCommand later lives under it, so the root and its
/// parents must be root-owned and not group/world-writable.</summary>
static class RootDirectory
{
    public static void RequireRoot()
    {
        if (Posix.GetEuid() != 0)
            throw new BuildFailure("FSW6003: LocalCluster starts dockerd, a registry and sshd and must run as root (sudo ./build.sh LocalCluster).");
    }

    public static void Ensure(LocalClusterSettings s, ILog log)
    {
        var created = !Directory.Exists(s.Root);
        var missing = new Stack<DirectoryInfo>();
        for (var d = new DirectoryInfo(s.Root); d is not null && !d.Exists; d = d.Parent) missing.Push(d);
        foreach (var d in missing) // top-down, so every directory we create is 0755 whatever the umask
        {
            d.Create();
            d.UnixFileMode = Mode0755;
        }
        var root = new DirectoryInfo(s.Root);
        if (root.UnixFileMode != Mode0755) root.UnixFileMode = Mode0755;
        Posix.Chown(s.Root, 0, 0);
        Directory.CreateDirectory(s.RunDir);
        Directory.CreateDirectory(s.LogDir);
        log.Info(created ? $"root: created {s.Root}" : $"root: {s.Root} exists, skip");
    }

    /// <summary>One LocalCluster run at a time per root (flock; released when the process ends).</summary>
    public static IDisposable Lock(LocalClusterSettings s)
    {
        var path = Path.Combine(s.RunDir, "localcluster.lock");
        try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException)
        {
            throw new BuildFailure($"FSW6010: another LocalCluster run holds {path}; wait for it to finish.");
        }
    }

    const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
}
