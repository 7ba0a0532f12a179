using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Config;

namespace Futuswarm.Build.LocalCluster;

/// <summary>
/// The manager half of the local cluster: the daemon, the API sshd in front of it, the ACL's first keys
/// and the developers' profile. Each step checks, then acts, so a re-run changes nothing.
/// </summary>
static class ClusterServices
{
    public static async Task EnsureAsync(LocalInfra infra, LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        var layout = new ManagerLayout(s.Root);
        await ManagerUsers.EnsureAsync(log, ct);
        var binariesChanged = await ManagerBinaries.InstallAsync(layout, log, ct);
        var adminKey = await AdminKey.ResolveAsync(s, log, ct);
        MasterKey.Ensure(layout, log);
        var config = ManagerDaemonProcess.ConfigFor(layout, infra, s);
        // Before the ACL is seeded: a fresh acl.json in the bucket would otherwise win over the directory's users.
        await LocalStateMigration.RunAsync(layout, StateFactory.CreateS3Store(config.Store, S3rver.Credentials), log, ct);
        await LocalAcl.SeedAsync(layout, config, adminKey.PublicKey, s.Users, log, ct);
        if (config.Database is not null) await LocalPostgres.EnsureMasterAsync(config, s, log, ct); // needs the store and the key file
        await ManagerDaemonProcess.EnsureAsync(layout, config, binariesChanged, log, ct);
        var hostKey = await ApiSshd.EnsureAsync(layout, log, ct);
        var profile = await LocalProfile.WriteAsync(infra, hostKey, adminKey, log);
        await ApiSshd.CheckAsync(profile, log, ct);
    }

    public static async Task DownAsync(LocalClusterSettings s, ILog log)
    {
        var layout = new ManagerLayout(s.Root);
        await ApiSshd.StopAsync(layout, log);
        await ManagerDaemonProcess.StopAsync(layout, log);
    }
}
