using System.Diagnostics;
using System.Net.Sockets;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Ssh;

namespace Futuswarm.IntegrationTests;

/// <summary>One fresh "node": a network namespace on the lab's bridge with its own sshd (own config, freshly made host
/// key, root by a key made at test time) and its own dockerd (own data/exec root, socket, pid file and daemon.json).
/// The dockerd is started by a script, which the bootstrap also uses as the node's engine restart command.</summary>
public sealed class NetnsNode : IAsyncDisposable
{
    readonly NetnsLab _lab;
    readonly Action<string> _log;
    public string Netns { get; }
    /// <summary>The host number of its address in the lab's subnet.</summary>
    public int Index { get; }
    public string Address { get; }
    public string Dir { get; }
    public string DockerSocket => Path.Combine(Dir, "docker.sock");
    public string DaemonJson => Path.Combine(Dir, "daemon.json");
    public string PidFile => Path.Combine(Dir, "dockerd.pid");
    public string StartScript => Path.Combine(Dir, "start-dockerd");
    public string RestartScript => Path.Combine(Dir, "restart-dockerd");
    public string HostKeyFile => Path.Combine(Dir, "ssh_host_ed25519_key");
    public string SshdLog => Path.Combine(Dir, "sshd.log");
    // nsenter --net, not ip netns exec: the latter's private /sys hides the cgroup mounts dockerd needs.
    string NetArg => $"--net=/run/netns/{Netns}";
    public string HostPublicKey => File.ReadAllText(HostKeyFile + ".pub").Trim();

    internal NetnsNode(NetnsLab lab, int index, Action<string> log)
    {
        (_lab, _log) = (lab, log);
        Index = index;
        Netns = $"fswb-n{index}-{lab.Id}";
        Address = $"{NetnsLab.Subnet}.{index}";
        // Short: containerd's sockets under the exec-root must stay below 108 bytes.
        Dir = $"/tmp/fswn-{lab.Id}-{index}";
    }

    internal async Task StartAsync()
    {
        var sw = Stopwatch.StartNew();
        Directory.CreateDirectory(Dir);
        File.SetUnixFileMode(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Host.MustAsync("ip", "netns", "add", Netns);
        var hubSide = $"{Netns.Split('-')[1]}-{_lab.Id}"; // e.g. n2-ab12: unique inside the hub
        await Host.MustAsync("ip", "-n", _lab.Hub, "link", "add", hubSide, "type", "veth", "peer", "name", "eth0", "netns", Netns);
        await Host.MustAsync("ip", "-n", _lab.Hub, "link", "set", hubSide, "master", "br0", "up");
        await Host.MustAsync("ip", "-n", Netns, "addr", "add", $"{Address}/24", "dev", "eth0");
        await Host.MustAsync("ip", "-n", Netns, "link", "set", "eth0", "up");
        await Host.MustAsync("ip", "-n", Netns, "link", "set", "lo", "up");

        await Host.MustAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fsw-test-node", "-f", HostKeyFile);
        File.WriteAllText(Path.Combine(Dir, "authorized_keys"), _lab.ClientKey.PublicKey + "\n");
        File.WriteAllText(Path.Combine(Dir, "sshd_config"), $"""
            ListenAddress {Address}:22
            HostKey {HostKeyFile}
            PidFile {Dir}/sshd.pid
            AuthorizedKeysFile {Dir}/authorized_keys
            PermitRootLogin prohibit-password
            AllowUsers root
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            LogLevel INFO
            Subsystem sftp internal-sftp

            """);
        Directory.CreateDirectory("/run/sshd");
        await Host.MustAsync("nsenter", NetArg, "/usr/sbin/sshd", "-f", Path.Combine(Dir, "sshd_config"), "-E", SshdLog);

        // Something of its own in daemon.json, so the test sees the log rotation merged, not overwritten.
        File.WriteAllText(DaemonJson, "{\n  \"max-concurrent-downloads\": 3\n}\n");
        File.WriteAllText(StartScript, $"""
            #!/bin/sh
            # This node's dockerd, detached; iptables on (its own namespace's tables).
            setsid /usr/sbin/dockerd --host unix://{DockerSocket} --data-root {Dir}/data --exec-root {Dir}/x \
              --pidfile {PidFile} --config-file {DaemonJson} --storage-driver overlay2 \
              >>{Dir}/dockerd.log 2>&1 </dev/null &

            """);
        File.WriteAllText(RestartScript, $"""
            #!/bin/sh
            # The node's "systemctl restart docker": stop the running dockerd, wait for it, start it again.
            pid=$(cat {PidFile} 2>/dev/null || true)
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
              kill "$pid"
              i=0
              while kill -0 "$pid" 2>/dev/null; do sleep 0.1; i=$((i+1)); [ $i -lt 300 ] || exit 1; done
            fi
            exec {StartScript}

            """);
        File.SetUnixFileMode(StartScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(RestartScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Host.MustAsync("nsenter", NetArg, StartScript);

        await WaitAsync(() => Task.FromResult(SshAnswers()), TimeSpan.FromSeconds(20), "sshd");
        await WaitAsync(async () => (await DockerAsync("version", "--format", "{{.Server.Version}}")).Ok, TimeSpan.FromSeconds(60), "dockerd");
        _log($"node {Netns} ({Address}) up: sshd + dockerd in {sw.ElapsedMilliseconds} ms");
    }

    bool SshAnswers()
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(Address, 22);
            return true;
        }
        catch (SocketException) { return false; }
    }

    async Task WaitAsync(Func<Task<bool>> ok, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await ok())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what} in {Netns} did not come up in {limit.TotalSeconds:0} s: " + LogTail(what));
            await Task.Delay(100);
        }
    }

    string LogTail(string what)
    {
        var f = Path.Combine(Dir, what == "sshd" ? "sshd.log" : "dockerd.log");
        return File.Exists(f) ? string.Join('\n', File.ReadLines(f).TakeLast(8)) : "(no log)";
    }

    /// <summary>docker against this node's engine, from the host (the socket is a file, namespaces aside).</summary>
    public Task<ShellResult> DockerAsync(params string[] args) => Host.RunAsync(["docker", "-H", "unix://" + DockerSocket, .. args]);

    public int DockerdPid => int.Parse(File.ReadAllText(PidFile).Trim());

    public Task<SshNodeShell> ConnectAsync(string? expectedHostKey) =>
        SshNodeShell.ConnectAsync(Address, 22, "root", _lab.ClientKey.PrivateKeyFile, expectedHostKey);

    /// <summary>The node's spec as provisioning would make it, with this node's engine socket and restart script.</summary>
    public NodeSpec Spec(string name, NodeRole role, string? managerAddress = null, IReadOnlyDictionary<string, string>? labels = null) => new()
    {
        Name = name,
        Role = role,
        AdvertiseAddress = Address,
        ManagerAddress = managerAddress,
        Labels = labels ?? new Dictionary<string, string>(),
        DockerSocket = DockerSocket,
        DaemonJsonPath = DaemonJson,
        EngineRestart = [RestartScript],
        WorkDir = Path.Combine(Dir, "run"),
        LogMaxSize = "10m",
        LogMaxFiles = 3,
    };

    /// <summary>Node loss: the engine dies at once (no leave, no goodbye to the managers).</summary>
    public Task KillDockerdAsync() => Host.MustAsync("kill", "-KILL", DockerdPid.ToString());

    /// <summary>Waits (bounded, 90 s) until the manager lists node <paramref name="nodeId"/> as Down; returns how long it took.</summary>
    public static async Task<TimeSpan> WaitDownAsync(INodeShell manager, NodeSpec managerSpec, string nodeId)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!(await SwarmNodes.ListAsync(manager, managerSpec, default)).Single(n => n.Id == nodeId).IsDown)
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(90), "the manager did not see the killed worker Down within 90 s");
            await Task.Delay(500);
        }
        return sw.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        // Everything with this namespace as its network: sshd, dockerd, containerd, shims, sessions.
        for (var round = 0; round < 50; round++)
        {
            var pids = (await Host.RunAsync("ip", "netns", "pids", Netns)).StdOut
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (pids.Length == 0) break;
            await Host.RunAsync(["kill", "-KILL", .. pids]);
            await Task.Delay(100);
        }
        await Host.RunAsync("ip", "netns", "del", Netns); // its eth0 and the hub side go with it
        // A killed dockerd leaves its mounts (overlay, network namespaces under the exec-root) behind.
        var mounts = File.ReadAllLines("/proc/self/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(Dir + "/", StringComparison.Ordinal)).Reverse();
        foreach (var m in mounts) await Host.RunAsync("umount", "-l", m);
        if (Directory.Exists(Dir)) await Host.RunAsync("rm", "-rf", "--one-file-system", Dir);
    }
}
