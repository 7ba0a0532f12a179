using Futuswarm.Build.Framework;
using Futuswarm.Build.Manager;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Protocol;

namespace Futuswarm.Build.LocalCluster;

/// <summary>
/// The manager half of the local cluster: the node bootstrap's manager steps (the same ones an AWS manager runs over
/// SSH), on this machine through LocalNodeShell with a pid-file supervisor, plus what only the local cluster has: its
/// admin key, its master key file, its state migration, its ACL seed and its PostgreSQL master. Each step checks,
/// then acts, so a re-run changes nothing.
/// </summary>
static class ClusterServices
{
    public static async Task EnsureAsync(LocalInfra infra, LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        var layout = new ManagerLayout(s.Root);
        var config = ManagerDaemonProcess.ConfigFor(layout, infra, s);
        using var shell = new LocalNodeShell();
        var node = new NodeContext(shell, shell, NodeSpecFor(layout, infra, config, log), null, log.Info);

        await RunAsync(node, [new ManagerUsersStep(), new ManagerBinariesStep()], ct);
        var adminKey = await AdminKey.ResolveAsync(s, log, ct);
        MasterKey.Ensure(layout, log);
        // Before the ACL is seeded: a fresh acl.json in the bucket would otherwise win over the directory's users.
        await LocalStateMigration.RunAsync(layout, StateFactory.CreateS3Store(config.Store, S3rver.Credentials), log, ct);
        await LocalAcl.SeedAsync(layout, config, adminKey.PublicKey, s.Users, log, ct);
        if (config.Database is not null) await LocalPostgres.EnsureMasterAsync(config, s, log, ct); // needs the store and the key file
        await RunAsync(node, [new ApiHostKeyStep(), new ManagerDaemonStep(), new ApiSshdStep()], ct);

        var hostKey = File.ReadAllText(layout.HostKeyPublic).Trim();
        var profile = await LocalProfile.WriteAsync(infra, hostKey, adminKey, log);
        await ApiSshd.CheckAsync(profile, log, ct);
    }

    /// <summary>This machine as a first manager whose services listen on loopback only.</summary>
    static NodeSpec NodeSpecFor(ManagerLayout layout, LocalInfra infra, DaemonConfig config, ILog log) => new()
    {
        Name = "local",
        Role = NodeRole.FirstManager,
        DockerCli = infra.DockerCli,
        DockerSocket = infra.DockerSocket,
        WorkDir = Path.Combine(layout.Root, "work"),
        ManagerServices = new ManagerServicesSpec
        {
            Root = layout.Root,
            DaemonConfigJson = config.ToJson(),
            // s3rver's fixed test credentials; on AWS the daemon has its instance role and no environment.
            DaemonEnvironment = S3rver.Environment.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!),
            Bundle = ManagerBundles.FrameworkDependent(log),
            Launcher = [ManagerLayout.Dotnet, layout.ClusterDll],
            HostKeyComment = "futuswarm-local-api",
            ApiListenAddress = "127.0.0.1",
            Supervisor = ServiceSupervisorKind.PidFile,
        },
    };

    static async Task RunAsync(NodeContext node, IReadOnlyList<NodeStep> steps, CancellationToken ct)
    {
        try
        {
            await NodeBootstrap.RunAsync(node, steps, ct);
        }
        catch (FswException e)
        {
            throw new BuildFailure(e.Message, e);
        }
    }

    public static async Task DownAsync(LocalClusterSettings s, ILog log)
    {
        var layout = new ManagerLayout(s.Root);
        await ApiSshd.StopAsync(layout, log);
        await ManagerDaemonProcess.StopAsync(layout, log);
    }
}
