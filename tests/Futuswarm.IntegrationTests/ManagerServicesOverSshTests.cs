using System.Diagnostics;
using System.Text.Json;
using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.IntegrationTests;

/// <summary>A fresh namespace node becomes a manager that answers the API, through the manager steps over real SSH
/// (pid-file supervisor). Borrows two things from the local cluster: its installed manager binaries (the bundle) and
/// its edge image. Namespace nodes share the host's files and users, so the manager root is a fresh root-owned
/// directory (sshd refuses an AuthorizedKeysCommand under a world-writable one like /tmp), removed at the end.</summary>
public sealed class ManagerServicesOverSshTests(ITestOutputHelper output)
{
    const int EdgePort = 18080;
    const string Alias = "futuswarm-netns-api";
    readonly List<string> _log = [];
    void Log(string line) { lock (_log) _log.Add(line); output.WriteLine(line); }

    static readonly IReadOnlyList<NodeStep> SwarmSteps = NodeBootstrap.Steps.Except(NodeBootstrap.ManagerSteps).ToList();
    // The local cluster's root (as TestCluster finds it; TestCluster itself also wants this worktree's packages).
    static string LocalRoot => Environment.GetEnvironmentVariable("FUTUSWARM_LOCAL_DIR") is { Length: > 0 } d ? d : "/var/lib/futuswarm/local";
    /// <summary>Root-owned and not world-writable, as sshd wants the AuthorizedKeysCommand's directories.</summary>
    const string TestsRoot = "/var/lib/futuswarm-tests";
    static string Dotnet => File.Exists("/usr/bin/dotnet") ? "/usr/bin/dotnet" : Path.Combine(Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? "/usr/share/dotnet", "dotnet");

    [Fact]
    public async Task FreshNodeBecomesAManagerThatAnswersTheApi()
    {
        var total = Stopwatch.StartNew();
        var localConfig = Path.Combine(LocalRoot, "managerd.json");
        Assert.True(File.Exists(localConfig) && File.Exists(Path.Combine(LocalRoot, "lib", "cluster", ".source-fingerprint")),
            $"needs the local cluster's installed manager and edge image ({LocalRoot}; ./build.sh LocalCluster)");
        var local = DaemonConfig.Load(localConfig);
        Directory.CreateDirectory(TestsRoot);
        File.SetUnixFileMode(TestsRoot, (UnixFileMode)0b111_101_101);
        var root = Path.Combine(TestsRoot, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        using var admin = new SshKeyPair();
        using var stranger = new SshKeyPair();
        using var apiKey = new SshKeyPair(); // the cluster's API host key, as the store would hold it
        try
        {
            await using var lab = await NetnsLab.StartAsync(Log);
            var node = await lab.AddNodeAsync();
            var paths = new ManagerPaths(root);
            try
            {
                await RunAsync(local, node, root, paths, admin, stranger, apiKey);
            }
            finally
            {
                foreach (var pid in new[] { paths.SshdPid, paths.DaemonPid })
                    await Host.RunAsync("start-stop-daemon", "--stop", "--oknodo", "--quiet", "--pidfile", pid, "--retry", "TERM/10/KILL/5");
                await node.DockerAsync("service", "rm", "futuswarm-edge");
            }
        }
        finally
        {
            await Host.RunAsync("rm", "-rf", "--one-file-system", root);
            await Host.RunAsync("rmdir", "--ignore-fail-on-non-empty", TestsRoot);
        }
        Log($"test total: {total.ElapsedMilliseconds} ms");
    }

    async Task RunAsync(DaemonConfig local, NetnsNode node, string root, ManagerPaths paths, SshKeyPair admin, SshKeyPair stranger, SshKeyPair apiKey)
    {
        var edgeImage = local.Edge.Image;
        await HostProcess.PipeAsync(["docker", "-H", "unix://" + local.DockerSocket, "save", edgeImage], ["docker", "-H", "unix://" + node.DockerSocket, "load"]);
        var edgeDir = Path.Combine(root, "edge");
        Directory.CreateDirectory(edgeDir);
        await Host.MustAsync("chown", "1654:1654", edgeDir); // the edge image's user writes its admin socket there
        Directory.CreateDirectory(Path.Combine(root, "keys"));
        LocalKeyProvider.CreateKeyFile(paths.KeyFile);

        var config = new DaemonConfig
        {
            ClusterName = "netns", BaseDomain = "netns.localhost", PublicScheme = "http", PublicPort = EdgePort,
            DockerSocket = node.DockerSocket, StateDirectory = paths.State, SocketPath = paths.Socket,
            RelayUser = ManagerPaths.ApiUser, KeysGroup = ManagerPaths.KeysUser, Network = "futuswarm",
            Edge = new EdgeConfig { Image = edgeImage, PublishedPort = EdgePort, StateDirectory = edgeDir },
            Keys = new KeysConfig { Kind = KeysConfig.Local, KeyFile = paths.KeyFile },
        };
        var installed = Path.Combine(LocalRoot, "lib", "cluster");
        var archives = 0;
        var opened = 0;
        var services = new ManagerServicesSpec
        {
            Root = root,
            DaemonConfigJson = Json(config),
            Bundle = new ManagerBundle(File.ReadAllText(Path.Combine(installed, ".source-fingerprint")).Trim(), _ =>
            {
                archives++;
                return HostProcess.BytesAsync("tar", "-czf", "-", "-C", installed, ".");
            }),
            Launcher = [Dotnet, paths.ClusterDll],
            HostKey = new ApiHostKeySource(apiKey.PublicKey, _ => { opened++; return File.ReadAllBytesAsync(apiKey.PrivateKeyFile); }),
            ApiListenAddress = node.Address,
            Supervisor = ServiceSupervisorKind.PidFile,
        };
        var spec = node.Spec("manager-1", NodeRole.FirstManager) with { ManagerServices = services };
        using var shell = await node.ConnectAsync(node.HostPublicKey);
        var ctx = new NodeContext(shell, shell, spec, null, Log);

        var sw = Stopwatch.StartNew();
        await NodeBootstrap.RunAsync(ctx, SwarmSteps);
        // As LocalCluster does: acl.json seeded once the keys user exists, before the daemon and sshd start.
        var first = (await NodeBootstrap.RunAsync(ctx, NodeBootstrap.ManagerSteps.Take(2))).ToList();
        await SeedAclAsync(config, admin.PublicKey);
        first.AddRange(await NodeBootstrap.RunAsync(ctx, NodeBootstrap.ManagerSteps.Skip(2)));
        Log($"manager steps, first run: {sw.ElapsedMilliseconds} ms");
        Assert.Equal(["manager-users", "manager-binaries", "api-host-key", "managerd", "api-sshd"], first.Select(r => r.Step));
        Assert.All(first.Skip(1), r => Assert.True(r.Changed, $"{r.Step}: {r.Detail}")); // users may exist on this host already
        Assert.Equal((1, 1), (archives, opened));

        // What the node has now, seen from the host (namespace nodes share its files).
        var privateOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(privateOnly, File.GetUnixFileMode(paths.HostKey));
        Assert.Equal(privateOnly, File.GetUnixFileMode(paths.DaemonEnvironment));
        Assert.Equal(File.ReadAllBytes(apiKey.PrivateKeyFile), File.ReadAllBytes(paths.HostKey));
        foreach (var secret in File.ReadAllLines(apiKey.PrivateKeyFile).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
            Assert.DoesNotContain(_log, l => l.Contains(secret, StringComparison.Ordinal));
        // The daemon started the edge proxy on the node's swarm before it opened its socket.
        Assert.StartsWith(edgeImage, (await node.DockerAsync("service", "inspect", "futuswarm-edge", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}")).StdOut.Trim());
        var knownHosts = Path.Combine(root, "known_hosts");
        File.WriteAllText(knownHosts, $"{Alias} {apiKey.PublicKey}\n");

        await AssertAnswersAsync(node, knownHosts, admin);

        // Converged: a second run of every step, the swarm's and the manager's, changes nothing.
        var daemonPid = File.ReadAllText(paths.DaemonPid).Trim();
        var sshdPid = File.ReadAllText(paths.SshdPid).Trim();
        var again = await NodeBootstrap.RunAsync(ctx);
        Assert.All(again, r => Assert.False(r.Changed, $"{r.Step}: {r.Detail}"));
        Assert.Equal((1, 1), (archives, opened));
        Assert.Equal(daemonPid, File.ReadAllText(paths.DaemonPid).Trim());

        // A changed daemon configuration restarts the daemon only; the API answers through the same sshd.
        var changed = ctx with { Spec = spec with { ManagerServices = services with { DaemonConfigJson = Json(config with { KeepReleases = 7 }) } } };
        var third = await NodeBootstrap.RunAsync(changed, NodeBootstrap.ManagerSteps);
        Assert.Equal(["managerd"], third.Where(r => r.Changed).Select(r => r.Step));
        Assert.NotEqual(daemonPid, File.ReadAllText(paths.DaemonPid).Trim());
        Assert.Equal(sshdPid, File.ReadAllText(paths.SshdPid).Trim());
        Assert.Equal(7, DaemonConfig.Load(paths.DaemonConfig).KeepReleases);
        await AssertAnswersAsync(node, knownHosts, admin);

        // A key the ACL does not list is refused by sshd: nothing runs, nothing is printed.
        var refused = await ApiAsync(node, knownHosts, stranger);
        Assert.Equal(255, refused.ExitCode);
        Assert.Equal("", refused.StdOut);
        Assert.Contains("Permission denied", refused.StdErr);
        var strangerFingerprint = Fingerprint(stranger.PublicKey);
        Assert.DoesNotContain(File.ReadLines(paths.SshdLog), l => l.Contains("Accepted publickey") && l.Contains(strangerFingerprint));
        Assert.Contains(File.ReadLines(paths.SshdLog), l => l.Contains("Accepted publickey") && l.Contains(Fingerprint(admin.PublicKey)));
    }

    static string Json(DaemonConfig config) => JsonSerializer.Serialize(config, new JsonSerializerOptions(Wire.Json) { WriteIndented = true });

    /// <summary>acl.json as LocalCluster seeds it: an admin holding the test key, group-readable for the keys user.</summary>
    static async Task SeedAclAsync(DaemonConfig config, string adminKey)
    {
        var gid = Native.GroupId(ManagerPaths.KeysUser) ?? throw new InvalidOperationException("no futuswarm-keys group after the users step?");
        var store = StateFactory.CreateStore(config, new Dictionary<string, int> { [AclRepository.Key] = gid });
        var acl = new AclDocument();
        acl.Users.Add(new AclUser { Name = "admin", Admin = true, Keys = [adminKey] });
        await new AclRepository(store).SaveAsync(acl, CancellationToken.None);
    }

    async Task AssertAnswersAsync(NetnsNode node, string knownHosts, SshKeyPair key)
    {
        var r = await ApiAsync(node, knownHosts, key);
        Log($"API status (exit {r.ExitCode}): {r.StdOut.Trim()}");
        Assert.True(r.StdOut.Contains(ErrorCodes.ReservedServiceName, StringComparison.Ordinal), $"exit {r.ExitCode}: {r.StdOut} {r.StdErr}");
    }

    /// <summary>The real OpenSSH client with the arguments the SDK uses: host key pinned, batch mode, an argument list.</summary>
    static Task<HostProcess.Result> ApiAsync(NetnsNode node, string knownHosts, SshKeyPair key)
    {
        var endpoint = new ManagerEndpoint(node.Address, ManagerPaths.ApiPort, ManagerPaths.ApiUser, knownHosts, Alias, key.PrivateKeyFile);
        return HostProcess.RunAsync("ssh", SshArguments.For(endpoint, "status"), "{\"protocol\":1,\"service\":\"futuswarm-check\"}", TimeSpan.FromSeconds(60));
    }

    static string Fingerprint(string publicKey) =>
        "SHA256:" + Futuswarm.Cluster.Nodes.Ssh.ExpectedHostKey.FingerprintOf(Convert.FromBase64String(publicKey.Split(' ')[1]));
}
