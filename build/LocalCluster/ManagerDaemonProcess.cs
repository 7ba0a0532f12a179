using System.Text.Json;
using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Config;
using Futuswarm.Protocol;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The local daemon's configuration and its stop; the node bootstrap's managerd step starts it (ManagerDaemonStep).</summary>
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

    public static async Task StopAsync(ManagerLayout layout, ILog log)
    {
        if (Proc.TryReadPid(layout.DaemonPid) is { } pid && await Proc.StopAsync(pid, TimeSpan.FromSeconds(10), log))
            log.Info("stopped the manager daemon");
        if (File.Exists(layout.DaemonPid)) File.Delete(layout.DaemonPid);
    }
}
