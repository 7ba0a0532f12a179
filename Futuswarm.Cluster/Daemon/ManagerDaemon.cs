using System.Net.Sockets;
using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Edge;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Cluster.Swarm;

namespace Futuswarm.Cluster.Daemon;

/// <summary>
/// futuswarm-managerd: listens on a unix socket (root-owned, group of the relay user, 0660, peer checked),
/// keeps the edge running and its routes whole, and serves one request per connection.
/// </summary>
public sealed class ManagerDaemon(DaemonConfig config)
{
    private static readonly TimeSpan RouteCheckInterval = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken lifetime)
    {
        var relayUid = State.Native.UserId(config.RelayUser) ?? throw new InvalidOperationException($"User {config.RelayUser} does not exist.");
        var relayGid = State.Native.GroupId(config.RelayUser) ?? throw new InvalidOperationException($"Group {config.RelayUser} does not exist.");
        var keysGid = config.KeysGroup is null ? null : State.Native.GroupId(config.KeysGroup);
        var store = StateFactory.CreateStore(config,
            keysGid is { } g ? new Dictionary<string, int> { [AclRepository.Key] = g } : null);
        // sshd reads acl.json from local disk; with a remote store, its mirror must match the store before logins.
        if (store is LocalMirrorStore mirror) await mirror.RefreshAsync(lifetime);
        var cipher = new EnvelopeCipher(StateFactory.CreateKeys(config));
        using var swarm = SwarmGateway.Connect(config.DockerSocket);
        var releases = new ReleaseRepository(store);
        var acl = new AclRepository(store);
        var locks = new ServiceLocks();
        var vault = new SecretVault(store, cipher, config.ClusterName);
        var ctx = new DaemonContext
        {
            Config = config, Store = store, Swarm = swarm, Releases = releases, Acl = acl,
            Authorizer = new Authorizer(acl, releases, locks), Audit = new AuditLog(store), Locks = locks,
            Edge = new EdgeService(config, swarm, releases, Log), Cipher = cipher, Vault = vault,
            ServiceConfigs = new ServiceConfigurationRepository(store),
            Databases = Databases.PostgresDatabaseAdmin.Create(config, store, cipher), DockerSecrets = new DockerSecrets(swarm, vault, config.ClusterName), Log = Log, Lifetime = lifetime,
        };

        var recovery = Task.Run(() => new PendingReleaseRecovery(ctx).RunAsync(lifetime), lifetime);
        _ = recovery.ContinueWith(t => Log($"release recovery failed: {t.Exception?.GetBaseException().Message}"), TaskContinuationOptions.OnlyOnFaulted);
        await ctx.Edge.EnsureRunningAsync(lifetime);
        await ctx.Edge.ApplyRoutesAsync(lifetime, force: true);
        _ = KeepRoutesAsync(ctx, lifetime);

        var path = config.SocketPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        State.Native.Chown(path, 0, relayGid);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        listener.Listen(64);
        Log($"listening on {path}");

        while (!lifetime.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptAsync(lifetime); }
            catch (OperationCanceledException) { break; }
            _ = Task.Run(() => ServeAsync(ctx, client, relayUid));
        }
    }

    private async Task ServeAsync(DaemonContext ctx, Socket client, int relayUid)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        var (_, uid, _) = PeerCredentials.Of(client);
        if (uid != 0 && uid != relayUid)
        {
            Log($"refused a connection from uid {uid}");
            return;
        }
        await new RequestSession(ctx, stream).RunAsync();
    }

    /// <summary>A restarted proxy must get every route back, whoever restarted it.</summary>
    private async Task KeepRoutesAsync(DaemonContext ctx, CancellationToken lifetime)
    {
        while (!lifetime.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RouteCheckInterval, lifetime);
                await ctx.Edge.ApplyRoutesAsync(lifetime, fromStore: false);
            }
            catch (OperationCanceledException) { break; }
            catch (Exception e) { Log($"route check failed: {e.Message}"); }
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {message}");
}
