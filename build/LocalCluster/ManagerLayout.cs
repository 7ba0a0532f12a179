namespace Futuswarm.Build.LocalCluster;

/// <summary>Where the manager's files live under the local cluster's root (root-owned, as sshd requires).</summary>
sealed record ManagerLayout(string Root)
{
    public const string ApiUser = "futuswarm";
    public const string KeysUser = "futuswarm-keys";
    public const int ApiPort = 2222;

    public string Lib => Path.Combine(Root, "lib", "cluster");
    public string ClusterDll => Path.Combine(Lib, "Futuswarm.Cluster.dll");
    public string Bin => Path.Combine(Root, "bin");
    public string State => Path.Combine(Root, "state");
    /// <summary>With the S3 store: the mirror of acl.json that sshd's AuthorizedKeysCommand reads.</summary>
    public string Acl => Path.Combine(State, "acl.json");
    /// <summary>Where the state directory's own copy went when the state moved into s3rver.</summary>
    public string StateBeforeS3 => Path.Combine(Root, "state.before-s3");
    /// <summary>The secrets master key (root, 0600): the local cluster has no KMS.</summary>
    public string KeyFile => Path.Combine(Root, "keys", "master.key");
    public string Run => Path.Combine(Root, "run");
    public string Socket => Path.Combine(Run, "managerd.sock");
    public string DaemonPid => Path.Combine(Run, "managerd.pid");
    public string DaemonConfig => Path.Combine(Root, "managerd.json");
    public string DaemonLog => Path.Combine(Root, "logs", "managerd.log");
    public string Ssh => Path.Combine(Root, "ssh");
    public string HostKey => Path.Combine(Ssh, "api_host_ed25519_key");
    public string SshdConfig => Path.Combine(Ssh, "sshd_config");
    public string SshdPid => Path.Combine(Run, "sshd.pid");
    public string SshdLog => Path.Combine(Root, "logs", "sshd.log");
    public string Home => Path.Combine(Root, "home");

    public static string Dotnet => File.Exists("/usr/bin/dotnet") ? "/usr/bin/dotnet" : Path.Combine(Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? "/usr/share/dotnet", "dotnet");
}
