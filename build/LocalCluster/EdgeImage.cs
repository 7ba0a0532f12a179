using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Step f: localhost:5000/futuswarm/edge:&lt;caddy version&gt;, Debian's Caddy on the host-copied glibc base,
/// running as uid 1654 with its admin API on a unix socket only. The manager daemon creates the service; the
/// edge directory it bind-mounts at /run/futuswarm-edge is prepared here.</summary>
static class EdgeImage
{
    public const string Repository = "futuswarm/edge";
    const string Caddy = "/usr/bin/caddy";
    const string StateDir = "/run/futuswarm-edge";
    const string ConfigPath = "/etc/futuswarm-edge/initial.json";

    /// <summary>Admin on a unix socket in the bind-mounted directory (reachable by the manager, not the network),
    /// one server on :80, and a catch-all 404 until the manager loads routes.</summary>
    public const string InitialConfig =
        """{"admin":{"listen":"unix//run/futuswarm-edge/admin.sock","origins":["localhost"]},"apps":{"http":{"servers":{"edge":{"listen":[":80"],"automatic_https":{"disable":true},"routes":[{"handle":[{"handler":"static_response","status_code":404,"body":"No service answers at this address.\n"}]}]}}}}}""";

    public static async Task<string> EnsureAsync(Docker docker, LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        var version = (await Proc.RunAsync(Caddy, ["version"], new ProcOptions { Log = log }, ct)).StdOut.Trim()
            .Split(' ')[0].TrimStart('v');
        var fs = await GlibcRootfs.CreateAsync([Caddy], [], log, ct);
        fs.HostPath(Caddy);
        fs.Text(ConfigPath.TrimStart('/'), InitialConfig);
        fs.Dir(StateDir.TrimStart('/'), 0b111_101_000, GlibcRootfs.AppUid, GlibcRootfs.AppUid);

        string[] changes =
        [
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            // Caddy's autosave (what --resume reads after a restart) lives on the bind mount, not in the container.
            $"ENV XDG_CONFIG_HOME={StateDir}/config",
            $"ENV XDG_DATA_HOME={StateDir}/data",
            $"USER {GlibcRootfs.AppUid}:{GlibcRootfs.AppUid}",
            $"""ENTRYPOINT ["caddy","run","--config","{ConfigPath}","--resume"]""",
        ];
        var recipe = new ImagePublisher.Recipe(Repository, [version], fs, changes,
            ["--entrypoint", "caddy", "{image}", "validate", "--config", ConfigPath], "Valid configuration");
        return await ImagePublisher.EnsureAsync(docker, s, recipe with { BeforeBuild = () => ValidateOnHostAsync(s, log, ct) }, log, ct);
    }

    /// <summary>The edge directory the manager bind-mounts at /run/futuswarm-edge: written by Caddy as uid 1654.</summary>
    public static async Task EnsureStateDirAsync(LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        var dir = new DirectoryInfo(s.EdgeDir);
        var changed = !dir.Exists;
        if (!dir.Exists) dir.Create();
        const UnixFileMode mode = (UnixFileMode)0b111_101_000; // 0750
        if (dir.UnixFileMode != mode) { dir.UnixFileMode = mode; changed = true; }
        // .NET has no API for a file's owner; stat(1) is one quick call.
        var owner = (await Proc.RunAsync("stat", ["-c", "%u:%g", s.EdgeDir], new ProcOptions { Log = log }, ct)).StdOut.Trim();
        if (owner != $"{GlibcRootfs.AppUid}:{GlibcRootfs.AppUid}")
        {
            Posix.Chown(s.EdgeDir, GlibcRootfs.AppUid, GlibcRootfs.AppUid);
            changed = true;
        }
        log.Info(changed ? $"edge dir: {s.EdgeDir} ready (1654:1654, 0750)" : $"edge dir: {s.EdgeDir} exists, skip");
    }

    /// <summary>Caught here, a typo in the config fails the build instead of crash-looping the edge service.</summary>
    static async Task ValidateOnHostAsync(LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        var file = Path.Combine(s.Root, "images", "edge-initial.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, InitialConfig, ct);
        try
        {
            await Proc.RunAsync(Caddy, ["validate", "--config", file], new ProcOptions { Log = log }, ct);
        }
        catch (ProcException e)
        {
            throw new BuildFailure($"FSW6006: the edge's initial Caddy config does not validate: {e.Message}", e);
        }
        finally { File.Delete(file); }
    }
}
