using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The infrastructure half of ./build.sh LocalCluster: each step checks, then acts only if needed, and
/// logs "skip" or what it did. A re-run on a healthy cluster changes nothing.</summary>
public static class LocalInfraSteps
{
    public static async Task<LocalInfra> EnsureAsync(LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        RootDirectory.RequireRoot();
        RootDirectory.Ensure(s, log);
        using var _ = RootDirectory.Lock(s);
        var state = StartedState.Load(s.StateFile);

        await HostPackages.EnsureAsync(log, ct);                                    // a
        PortGuard.Check(s, state, log);                                             // b
        // The registry comes up before the engine, so swarm tasks restarting with dockerd can pull at once.
        state = await LocalRegistry.EnsureAsync(s, state, log, ct);                 // d
        await S3rver.EnsureAsync(s, log, ct);                                       // the state store
        (var docker, state) = await DockerEngine.EnsureAsync(s, state, log, ct);    // c
        state = await SwarmSetup.EnsureAsync(docker, s, state, log, ct);
        state.Save(s.StateFile);                                                    // g
        // After the swarm: PostgreSQL listens on docker_gwbridge's gateway too, where tasks reach the host.
        var database = await LocalPostgres.EnsureAsync(docker, s, log, ct);
        // e, f: independent images; building them side by side saves the smaller one's time on a cold run.
        var baseTask = BaseImage.EnsureAsync(docker, s, log, ct);
        var edgeTask = EdgeImage.EnsureAsync(docker, s, log, ct);
        await Task.WhenAll(baseTask, edgeTask);
        var (baseImage, edgeImage) = (await baseTask, await edgeTask);
        await EdgeImage.EnsureStateDirAsync(s, log, ct);

        return new LocalInfra(s.Root, docker.Socket, LocalRegistry.Address, baseImage, edgeImage,
            SwarmSetup.OverlayNetwork, s.EdgePort, docker.Cli, database);
    }

    /// <summary>Stops what EnsureAsync started, newest first (engine, registry, s3rver), and keeps every data
    /// directory, so the next LocalCluster is fast. An engine given with --engine is never stopped.</summary>
    public static async Task DownAsync(LocalClusterSettings s, ILog log)
    {
        RootDirectory.RequireRoot();
        if (!Directory.Exists(s.RunDir))
        {
            log.Info($"nothing to stop: {s.Root} has no run directory");
            return;
        }
        using var _ = RootDirectory.Lock(s);
        var state = StartedState.Load(s.StateFile);

        // Newest first: PostgreSQL listens on the bridge of the engine stopped below.
        await LocalPostgres.StopAsync(s, log);

        // Only our dockerd writes run/dockerd.pid, so a live pid there is ours to stop, whatever --engine says now.
        if (DockerEngine.RunningPid(s, state) is { } dockerd)
        {
            await Proc.StopAsync(dockerd, TimeSpan.FromSeconds(20), log); // dockerd stops its containers and containerd
            log.Info($"dockerd: stopped (pid {dockerd})");
        }
        else if (state.DockerSocket is { } sock && !state.OwnEngine)
            log.Info($"engine {sock}: not started by LocalCluster, left running");
        else log.Info("dockerd: not running, skip");

        if (LocalRegistry.RunningPid(s, state) is { } registry)
        {
            await Proc.StopAsync(registry, TimeSpan.FromSeconds(10), log);
            log.Info($"registry: stopped (pid {registry})");
        }
        else log.Info("registry: not running, skip");

        await S3rver.StopAsync(s, log); // after the daemon (stopped by ClusterServices.DownAsync), which uses it

        // Our dockerd recreates its bridge on the next start; the interface must not outlive it.
        if (state.GwBridgeInterface is { } iface && state.OwnEngine &&
            DockerEngine.RunningPid(s, state) is null && Directory.Exists($"/sys/class/net/{iface}"))
        {
            await Proc.RunAsync("ip", ["link", "delete", iface], new ProcOptions { Log = log });
            log.Info($"interface {iface}: deleted");
        }

        (state with { DockerdPid = null, RegistryPid = null }).Save(s.StateFile);
        log.Info($"data kept in {s.Root}; ./build.sh LocalCluster brings the cluster back");
    }
}
