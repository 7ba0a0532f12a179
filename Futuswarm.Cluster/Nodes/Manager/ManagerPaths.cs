namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>Where a manager's files live under its root (root-owned, as sshd requires): /opt/futuswarm on AWS
/// nodes, the local cluster's root on this machine. The manager steps and LocalCluster read the same names.</summary>
public record ManagerPaths(string Root)
{
    public const string ApiUser = "futuswarm";
    public const string KeysUser = "futuswarm-keys";
    public const int ApiPort = 2222;
    /// <summary>The API login user's home: outside the root, so one account serves whichever root a manager uses.</summary>
    public const string ApiUserHome = "/var/lib/futuswarm/home";

    public string Lib => Path.Combine(Root, "lib", "cluster");
    public string ClusterDll => Path.Combine(Lib, "Futuswarm.Cluster.dll");
    /// <summary>The self-contained bundle's own launcher (AWS nodes have no .NET installed).</summary>
    public string ClusterExecutable => Path.Combine(Lib, "Futuswarm.Cluster");
    /// <summary>What the installed binaries were built from; written last, so a torn install never looks complete.</summary>
    public string BinariesFingerprint => Path.Combine(Lib, ".source-fingerprint");
    public string Bin => Path.Combine(Root, "bin");
    public string State => Path.Combine(Root, "state");
    /// <summary>With the S3 store: the mirror of acl.json that sshd's AuthorizedKeysCommand reads.</summary>
    public string Acl => Path.Combine(State, "acl.json");
    /// <summary>Where the state directory's own copy went when the state moved into s3rver.</summary>
    public string StateBeforeS3 => Path.Combine(Root, "state.before-s3");
    /// <summary>The secrets master key (root, 0600) of a cluster without KMS.</summary>
    public string KeyFile => Path.Combine(Root, "keys", "master.key");
    public string Run => Path.Combine(Root, "run");
    public string Socket => Path.Combine(Run, "managerd.sock");
    public string DaemonPid => Path.Combine(Run, "managerd.pid");
    public string DaemonConfig => Path.Combine(Root, "managerd.json");
    /// <summary>The daemon's environment (root, 0600): never in a process argument or a unit file.</summary>
    public string DaemonEnvironment => Path.Combine(Root, "managerd.env");
    public string DaemonLauncher => Path.Combine(Bin, "managerd");
    /// <summary>What the running daemon was started with (config, environment, binaries): another value restarts it.</summary>
    public string DaemonRevision => Path.Combine(Run, "managerd.revision");
    public string DaemonLog => Path.Combine(Root, "logs", "managerd.log");
    public string Ssh => Path.Combine(Root, "ssh");
    public string HostKey => Path.Combine(Ssh, "api_host_ed25519_key");
    public string HostKeyPublic => HostKey + ".pub";
    public string SshdConfig => Path.Combine(Ssh, "sshd_config");
    public string SshdPid => Path.Combine(Run, "sshd.pid");
    public string SshdRevision => Path.Combine(Run, "sshd.revision");
    public string SshdLog => Path.Combine(Root, "logs", "sshd.log");
    public string Relay => Path.Combine(Bin, "relay");
    public string AuthorizedKeys => Path.Combine(Bin, "authorized-keys");
    public string Home => Path.Combine(Root, "home");
}
