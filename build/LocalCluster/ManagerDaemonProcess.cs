using System.Text.Json;
using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Config;
using Futuswarm.Protocol;

namespace Futuswarm.Build.LocalCluster;

/// <summary>futuswarm-managerd as a background process (a system service on AWS nodes). Restarted only when its binaries or configuration changed.</summary>
static class ManagerDaemonProcess
{
    public static DaemonConfig ConfigFor(ManagerLayout layout, LocalInfra infra, LocalClusterSettings s) =>
        new()
        {
            ClusterName = "local",
            BaseDomain = "localhost",
            PublicScheme = "http",
            PublicPort = infra.EdgePort,
            DockerSocket = infra.DockerSocket,
            StateDirectory = layout.State,
            SocketPath = layout.Socket,
            RelayUser = ManagerLayout.ApiUser,
            KeysGroup = ManagerLayout.KeysUser,
            Network = infra.OverlayNetwork,
            Edge = new EdgeConfig { Image = infra.EdgeImage, PublishedPort = infra.EdgePort, StateDirectory = s.EdgeDir },
            Store = S3rver.StoreConfig, // the credentials go into the daemon's environment, never into this file
            Keys = new KeysConfig { Kind = KeysConfig.Local, KeyFile = layout.KeyFile },
            Database = infra.Database, // the master's password is sealed in the store, never written here
        };

    public static async Task EnsureAsync(ManagerLayout layout, DaemonConfig config, bool binariesChanged, ILog log, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(config, new JsonSerializerOptions(Wire.Json) { WriteIndented = true });
        var configChanged = !File.Exists(layout.DaemonConfig) || File.ReadAllText(layout.DaemonConfig) != json;
        if (configChanged) await File.WriteAllTextAsync(layout.DaemonConfig, json, ct);

        var pid = Proc.TryReadPid(layout.DaemonPid);
        var running = pid is { } p && Proc.IsAlive(p) && File.Exists(layout.Socket);
        if (running && !binariesChanged && !configChanged)
        {
            log.Detail("manager daemon runs");
            return;
        }
        if (pid is { } old && Proc.IsAlive(old)) await Proc.StopAsync(old, TimeSpan.FromSeconds(10), log);
        if (File.Exists(layout.Socket)) File.Delete(layout.Socket);
        await Proc.StartDetachedAsync(ManagerLayout.Dotnet, [layout.ClusterDll, "managerd", "--config", layout.DaemonConfig], layout.DaemonLog, layout.DaemonPid,
            env: S3rver.Environment, log: log, ct: ct);

        // The daemon opens its socket once the edge proxy answers on its admin socket.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!File.Exists(layout.Socket))
        {
            if (Proc.TryReadPid(layout.DaemonPid) is not { } now || !Proc.IsAlive(now))
                throw new BuildFailure($"FSW6004: the manager daemon exited during start-up; see {layout.DaemonLog}.{Proc.LogTail(layout.DaemonLog)}");
            if (DateTime.UtcNow > deadline)
                throw new BuildFailure($"FSW6004: the manager daemon did not open {layout.Socket} within 120 s; see {layout.DaemonLog}.{Proc.LogTail(layout.DaemonLog)}");
            await Task.Delay(200, ct);
        }
        log.Info($"manager daemon started (edge on port {config.Edge.PublishedPort})");
    }

    public static async Task StopAsync(ManagerLayout layout, ILog log)
    {
        if (Proc.TryReadPid(layout.DaemonPid) is { } pid && await Proc.StopAsync(pid, TimeSpan.FromSeconds(10), log))
            log.Info("stopped the manager daemon");
        if (File.Exists(layout.DaemonPid)) File.Delete(layout.DaemonPid);
    }
}
