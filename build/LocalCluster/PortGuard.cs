using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Step b: before starting anything, make sure the ports the local cluster needs are free or held by
/// processes of ours. Ours = a pid LocalCluster recorded (started.json, run/*.pid) or a descendant of one
/// (docker-proxy under dockerd), the engine behind --engine, or a process whose command line names the root.</summary>
static class PortGuard
{
    public const int SwarmPort = 2377, GossipPort = 7946, RegistryPort = 5000, ApiPort = 2222;

    sealed record PortUse(int Port, string Role, string Advice);

    public static void Check(LocalClusterSettings s, StartedState state, ILog log)
    {
        const string swarmAdvice = "Another Docker engine in swarm mode probably holds it: stop it, or use that engine " +
            "with --engine <its socket> --use-existing-swarm.";
        PortUse[] ports =
        [
            new(SwarmPort, "swarm manager API", swarmAdvice),
            new(GossipPort, "swarm gossip", swarmAdvice),
            new(RegistryPort, "local registry", "Stop that process: the local cluster's registry must answer at localhost:5000."),
            new(ApiPort, "Futuswarm API sshd", "Stop that process: the local API listens on 127.0.0.1:2222."),
            new(S3rver.Port, "state store (s3rver)", $"Stop that process: the local cluster's state store listens on 127.0.0.1:{S3rver.Port}."),
            new(LocalPostgres.Port, "PostgreSQL", $"Stop that process: the local cluster's own PostgreSQL listens on port {LocalPostgres.Port} (Debian's system cluster uses 5432 and may stay)."),
            new(s.EdgePort, "edge proxy", "Stop that process, or choose another port with --edge-port <port>."),
        ];

        var listeners = ports.ToDictionary(p => p, p => ProcNet.TcpListenerInodes(p.Port));
        var owners = ProcNet.Owners(listeners.Values.SelectMany(i => i).ToList());
        var ours = OurPids(s, state);

        foreach (var (use, inodes) in listeners)
        {
            if (inodes.Count == 0) { log.Detail($"port {use.Port} ({use.Role}): free"); continue; }
            foreach (var inode in inodes)
            {
                if (!owners.TryGetValue(inode, out var pid))
                    throw new BuildFailure($"FSW6001: port {use.Port} ({use.Role}) is in use by a process this user cannot see. {use.Advice}");
                if (ProcNet.SelfAndAncestors(pid).Any(p => ours.Contains(p) || NamesRoot(p, s.Root)))
                {
                    log.Detail($"port {use.Port} ({use.Role}): held by ours, pid {pid} ({ProcNet.Name(pid)})");
                    continue;
                }
                throw new BuildFailure($"FSW6001: port {use.Port} ({use.Role}) is in use by pid {pid} ({ProcNet.Name(pid)}), " +
                    $"which LocalCluster did not start. {use.Advice}");
            }
        }
        log.Info("ports: free or ours");
    }

    static HashSet<int> OurPids(LocalClusterSettings s, StartedState state)
    {
        var pids = new HashSet<int>();
        foreach (var pid in new[] { state.DockerdPid, state.RegistryPid })
            if (pid is { } p && Proc.IsAlive(p)) pids.Add(p);
        if (Directory.Exists(s.RunDir))
            foreach (var file in Directory.EnumerateFiles(s.RunDir, "*.pid"))
                if (Proc.TryReadPid(file) is { } p && Proc.IsAlive(p)) pids.Add(p);
        // The engine we were told to use owns its own swarm ports and published ports.
        if (s.Engine is not null && ProcNet.UnixListenerInode(s.Engine) is { } inode &&
            ProcNet.Owners([inode]).TryGetValue(inode, out var enginePid))
            pids.Add(enginePid);
        return pids;
    }

    static bool NamesRoot(int pid, string root) => ProcNet.CommandLine(pid).Contains(root + "/", StringComparison.Ordinal);
}
