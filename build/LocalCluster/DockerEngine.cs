using System.Security.Cryptography;
using System.Text;
using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Step c (engine): our own dockerd on &lt;root&gt;/docker.sock, separate from any system daemon, or the
/// engine named by --engine (used, never started or stopped by us).</summary>
static class DockerEngine
{
    public const string Dockerd = "/usr/sbin/dockerd";

    public static string PidFile(LocalClusterSettings s) => Path.Combine(s.RunDir, "dockerd.pid");

    /// <summary>containerd's sockets live under the exec-root and unix socket paths are limited to 108 bytes,
    /// so it is a short path under /run keyed by the root (two roots never share one).</summary>
    public static string ExecRoot(LocalClusterSettings s) =>
        $"/run/futuswarm-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s.Root)))[..8]}/dx";

    public static async Task<(Docker Docker, StartedState State)> EnsureAsync(
        LocalClusterSettings s, StartedState state, ILog log, CancellationToken ct)
    {
        var cli = HostPackages.DockerCli;
        if (s.Engine is not null)
        {
            var theirs = new Docker(cli, s.Engine, log);
            if (!await theirs.AnswersAsync(ct))
                throw new BuildFailure($"FSW6008: no Docker engine answers at --engine {s.Engine}; check the path and that the engine runs.");
            log.Info($"engine: using {s.Engine} (not started by LocalCluster, never stopped by it)");
            return (theirs, state with { OwnEngine = false, DockerSocket = s.Engine, DockerdPid = null });
        }

        var docker = new Docker(cli, s.OwnDockerSocket, log);
        var running = RunningPid(s, state);
        if (running is { } pid)
        {
            await WaitUntilAnswersAsync(docker, s, TimeSpan.FromSeconds(30), ct); // it may still be starting
            log.Info($"dockerd: running (pid {pid}), skip");
            return (docker, state with { OwnEngine = true, DockerSocket = docker.Socket, DockerdPid = pid });
        }

        string[] args =
        [
            "--host", "unix://" + s.OwnDockerSocket,
            "--data-root", Path.Combine(s.Root, "docker"),
            "--exec-root", ExecRoot(s),
            "--pidfile", PidFile(s),
            "--storage-driver", "overlay2",
            // No iptables and no docker0: the host's firewall and bridges stay untouched. Host-mode published
            // ports still work through docker-proxy; containers reach each other over the swarm overlay.
            "--iptables=false", "--ip6tables=false", "--bridge=none",
            "--insecure-registry", "localhost:5000",
        ];
        var started = await Proc.StartDetachedAsync(Dockerd, args, Path.Combine(s.LogDir, "dockerd.log"), PidFile(s),
            daemonWritesPidFile: true, log: log, ct: ct);
        state = state with { OwnEngine = true, DockerSocket = docker.Socket, DockerdPid = started };
        state = state.Save(s.StateFile); // recorded before waiting: a failed start is still ours to stop
        await WaitUntilAnswersAsync(docker, s, TimeSpan.FromSeconds(60), ct);
        log.Info($"dockerd: started (pid {started}) on {docker.Socket}");
        return (docker, state);
    }

    /// <summary>Our dockerd's pid if it runs: from started.json, else from dockerd's own pid file.</summary>
    public static int? RunningPid(LocalClusterSettings s, StartedState state)
    {
        if (state.DockerdPid is { } p && Proc.IsAlive(p, Dockerd)) return p;
        return Proc.TryReadPid(PidFile(s)) is { } q && Proc.IsAlive(q, Dockerd) ? q : null;
    }

    static async Task WaitUntilAnswersAsync(Docker docker, LocalClusterSettings s, TimeSpan limit, CancellationToken ct)
    {
        var log = Path.Combine(s.LogDir, "dockerd.log");
        var since = DateTime.UtcNow;
        while (!await docker.AnswersAsync(ct))
        {
            var waited = DateTime.UtcNow - since;
            var exited = RunningPid(s, new StartedState()) is null && waited > TimeSpan.FromSeconds(2);
            if (exited || waited > limit)
                throw new BuildFailure($"FSW6005: dockerd {(exited ? "exited" : $"did not answer within {limit.TotalSeconds:0} s")} " +
                    $"(socket {docker.Socket}); see {log}.{Proc.LogTail(log)}");
            await Task.Delay(100, ct);
        }
    }
}
