using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;
using Npgsql;

namespace Futuswarm.Build.LocalCluster;

/// <summary>
/// The local cluster's own PostgreSQL (the packaged major, 15 on Debian 12), never Debian's system cluster: data in
/// &lt;root&gt;/postgres/data, run as the postgres OS user (initdb and pg_ctl through runuser, never as root), on
/// 127.0.0.1 and the docker_gwbridge gateway (where tasks reach the host) at port 5433. pg_hba admits SCRAM logins from
/// loopback and the gwbridge subnet, plus the postgres OS user on the server's own socket (peer), which is how this
/// step administers it. The master role is made as RDS's is (LOGIN, CREATEDB, CREATEROLE, not superuser); its
/// password is sealed in the store once and reused.
/// </summary>
static class LocalPostgres
{
    public const int Port = 5433;
    const string OsUser = "postgres";
    const string Runuser = "/usr/sbin/runuser";
    const string IncludeLine = "include_if_exists = 'futuswarm.conf'";

    public static string Dir(LocalClusterSettings s) => Path.Combine(s.Root, "postgres");
    public static string Data(LocalClusterSettings s) => Path.Combine(Dir(s), "data");
    /// <summary>The unix socket directory: the postgres OS user's only (0700).</summary>
    public static string SocketDir(LocalClusterSettings s) => Path.Combine(Dir(s), "run");
    static string LogFile(LocalClusterSettings s) => Path.Combine(s.LogDir, "postgres.log");
    static string PidFile(LocalClusterSettings s) => Path.Combine(s.RunDir, "postgres.pid");

    static string BinDir => Path.GetDirectoryName(HostPackages.PostgresBinary()
        ?? throw new BuildFailure("FSW6007: PostgreSQL's server binaries are missing (package postgresql)."))!;
    static string Bin(string tool) => Path.Combine(BinDir, tool);
    static string Major => Path.GetFileName(Path.GetDirectoryName(BinDir)!); // /usr/lib/postgresql/15/bin -> 15

    /// <summary>Initialises, configures and starts the server as needed; returns managerd.json's database section.</summary>
    public static async Task<DatabaseConfig> EnsureAsync(Docker docker, LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        var (uid, gid) = (Native.UserId(OsUser), Native.GroupId(OsUser)) is ({ } u, { } g) ? (u, g)
            : throw new BuildFailure($"FSW6007: the OS user '{OsUser}' is missing; the postgresql package makes it (apt-get install --reinstall postgresql-common).");
        var (gateway, subnet) = await GwBridgeAsync(docker, ct);

        Directory.CreateDirectory(Dir(s));
        File.SetUnixFileMode(Dir(s), Mode0755);
        foreach (var d in new[] { Data(s), SocketDir(s) }) OwnedByPostgres(d, uid, gid);
        if (!File.Exists(LogFile(s))) await File.WriteAllTextAsync(LogFile(s), "", ct);
        Native.Chown(LogFile(s), uid, gid);
        File.SetUnixFileMode(LogFile(s), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        await InitdbAsync(s, log, ct);
        var confChanged = WriteOwned(Path.Combine(Data(s), "futuswarm.conf"), ServerConf(s, gateway), uid, gid);
        var hbaChanged = WriteOwned(Path.Combine(Data(s), "pg_hba.conf"), Hba(subnet), uid, gid);

        var watch = Stopwatch.StartNew();
        if (RunningPid(s) is { } pid)
        {
            if (confChanged)
            {
                await PgCtlAsync(s, ["restart", "-m", "fast"], log, ct);
                log.Info($"postgres: restarted to listen on 127.0.0.1 and {gateway} port {Port} ({watch.Elapsed.TotalSeconds:0.0} s)");
            }
            else if (hbaChanged)
            {
                await PgCtlAsync(s, ["reload"], log, ct);
                log.Info($"postgres: reloaded pg_hba.conf (logins from 127.0.0.1 and {subnet})");
            }
            else log.Info($"postgres: running (pid {pid}), skip");
        }
        else
        {
            await PgCtlAsync(s, ["start", "-l", LogFile(s)], log, ct);
            log.Info($"postgres: started PostgreSQL {Major} on 127.0.0.1:{Port} and {gateway}:{Port} in {watch.Elapsed.TotalSeconds:0.0} s");
        }
        var running = RunningPid(s) ?? throw new BuildFailure($"FSW6005: PostgreSQL did not stay up; see {LogFile(s)}.{Proc.LogTail(LogFile(s))}");
        if (Proc.TryReadPid(PidFile(s)) != running) await File.WriteAllTextAsync(PidFile(s), running + "\n", ct);

        foreach (var address in new[] { "127.0.0.1", gateway })
            if (!await AcceptsAsync(address, ct))
                throw new BuildFailure($"FSW6005: PostgreSQL runs but does not accept connections on {address}:{Port}; see {LogFile(s)}.{Proc.LogTail(LogFile(s))}");

        return new DatabaseConfig
        {
            Host = "127.0.0.1", Port = Port, ServiceHost = gateway, MasterUser = DatabaseNames.DefaultMasterUser,
            SslMode = "Disable", PgDump = Bin("pg_dump"),
        };
    }

    /// <summary>
    /// The master role and its sealed password: made once, then reused; a role whose password is not the sealed one
    /// gets it back (the password is checked by logging in, so nothing is changed on a healthy re-run).
    /// </summary>
    public static async Task EnsureMasterAsync(DaemonConfig config, LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        var db = config.Database ?? throw new InvalidOperationException("managerd.json has no database section");
        var store = StateFactory.CreateStore(config, null, S3rver.Credentials);
        using var keys = (LocalKeyProvider)StateFactory.CreateKeys(config);
        var repo = new DatabaseCredentialsRepository(store, new EnvelopeCipher(keys), config.ClusterName);

        var password = await repo.LoadMasterPasswordAsync(ct);
        if (password is null)
        {
            password = DatabasePasswords.New();
            await repo.SaveMasterPasswordAsync(password, ct);
            log.Info($"postgres: sealed a new password for {db.MasterUser} in the store ({DatabaseCredentialsRepository.MasterKey})");
        }
        Secrets.Register(password);

        // Attributes as RDS gives its master: it creates databases and roles, and is not a superuser. The SQL is the one
        // the managers run on RDS (MasterRoleSql), sent here through psql as the superuser.
        const string attributes = MasterRoleSql.Attributes;
        var state = (await PsqlAsync(s, MasterRoleSql.FlagsQuery(PgQuote.Literal(db.MasterUser)) + ";", log, ct)).Trim();
        if (state.Length == 0)
        {
            var verifier = ScramVerifier.Compute(password);
            Secrets.Register(verifier);
            await PsqlAsync(s, MasterRoleSql.Create(db.MasterUser, verifier) + ";", log, ct);
            log.Info($"postgres: created role {db.MasterUser} (CREATEDB, CREATEROLE, not superuser)");
        }
        else if (state != MasterRoleSql.WantedFlags) // psql prints booleans as t and f
        {
            await PsqlAsync(s, MasterRoleSql.Repair(db.MasterUser) + ";", log, ct);
            log.Info($"postgres: role {db.MasterUser} had other attributes ({state}); set to {attributes}");
        }

        // PUBLIC may connect to postgres and template1 (tools list databases there), but not keep temporary tables in them:
        // a service's login creates objects in its own database only.
        var temp = (await PsqlAsync(s, MasterRoleSql.PublicTemporaryQuery + ";", log, ct)).Trim();
        if (temp != "0")
        {
            await PsqlAsync(s, MasterRoleSql.RevokePublicTemporary + ";", log, ct);
            log.Info("postgres: PUBLIC may no longer create temporary tables in postgres and template1");
        }

        if (await MasterLoginAsync(db, password, ct) is { } refused)
        {
            var verifier = ScramVerifier.Compute(password);
            Secrets.Register(verifier);
            await PsqlAsync(s, MasterRoleSql.SetPassword(db.MasterUser, verifier) + ";", log, ct);
            if (await MasterLoginAsync(db, password, ct) is { } still)
                throw new BuildFailure($"FSW6005: {db.MasterUser} cannot log in to PostgreSQL on 127.0.0.1:{Port} with its sealed password: {still}");
            if (state.Length > 0) log.Info($"postgres: {db.MasterUser}'s password was not the sealed one ({refused}); reset to it");
        }
        else log.Detail($"postgres: {db.MasterUser} logs in with its sealed password");
    }

    /// <summary>Stops our server (pg_ctl stop -m fast); its data stays.</summary>
    public static async Task StopAsync(LocalClusterSettings s, ILog log)
    {
        if (RunningPid(s) is { } pid)
        {
            await PgCtlAsync(s, ["stop", "-m", "fast"], log, CancellationToken.None);
            log.Info($"postgres: stopped (pid {pid})");
        }
        else log.Info("postgres: not running, skip");
        if (File.Exists(PidFile(s))) File.Delete(PidFile(s));
    }

    /// <summary>The postmaster's pid from its own postmaster.pid, when that process runs our postgres binary.</summary>
    public static int? RunningPid(LocalClusterSettings s)
    {
        var file = Path.Combine(Data(s), "postmaster.pid");
        if (!File.Exists(file) || HostPackages.PostgresBinary() is not { } binary) return null;
        try
        {
            var first = File.ReadLines(file).FirstOrDefault();
            return int.TryParse(first, out var pid) && Proc.IsAlive(pid, binary) ? pid : null;
        }
        catch (IOException) { return null; }
    }

    static async Task InitdbAsync(LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        var version = Path.Combine(Data(s), "PG_VERSION");
        if (File.Exists(version))
        {
            var found = File.ReadAllText(version).Trim();
            if (found != Major)
                throw new BuildFailure($"FSW6005: {Data(s)} holds a PostgreSQL {found} cluster, but the installed server is {Major}. " +
                    "Upgrade it with pg_upgrade, or move the directory away (its databases are lost to the cluster).");
            log.Detail($"postgres: {Data(s)} initialised (PostgreSQL {found})");
            return;
        }
        if (Directory.EnumerateFileSystemEntries(Data(s)).Any())
            throw new BuildFailure($"FSW6005: {Data(s)} is not empty but holds no PostgreSQL cluster (no PG_VERSION); move it away.");
        var watch = Stopwatch.StartNew();
        // No superuser password at all: the postgres OS user administers over the socket (peer), nobody else is superuser.
        await AsPostgresAsync(s, Bin("initdb"), ["-D", Data(s), "-U", OsUser, "--auth-local=peer", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--locale=C.UTF-8"], log, ct);
        var conf = Path.Combine(Data(s), "postgresql.conf");
        await File.AppendAllTextAsync(conf, $"\n# Futuswarm LocalCluster's settings (port, addresses, socket) live in futuswarm.conf.\n{IncludeLine}\n", ct);
        log.Info($"postgres: initialised {Data(s)} (PostgreSQL {Major}) in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    static string ServerConf(LocalClusterSettings s, string gateway) =>
        "# Written by Futuswarm LocalCluster; changes are overwritten. Changing listen_addresses or port restarts the server.\n" +
        $"listen_addresses = '127.0.0.1,{gateway}'\n" +
        $"port = {Port}\n" +
        $"unix_socket_directories = '{SocketDir(s)}'\n" +
        "password_encryption = 'scram-sha-256'\n";

    static string Hba(string subnet) =>
        "# Written by Futuswarm LocalCluster; changes are overwritten.\n" +
        "# TYPE  DATABASE  USER      ADDRESS          METHOD\n" +
        "local   all       postgres                   peer\n" +
        "host    all       all       127.0.0.1/32     scram-sha-256\n" +
        $"host    all       all       {subnet,-16} scram-sha-256\n";

    static bool WriteOwned(string path, string content, int uid, int gid)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content) return false;
        File.WriteAllText(path + ".tmp", content);
        Native.Chown(path + ".tmp", uid, gid);
        File.SetUnixFileMode(path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(path + ".tmp", path, overwrite: true);
        return true;
    }

    static void OwnedByPostgres(string dir, int uid, int gid)
    {
        Directory.CreateDirectory(dir);
        Native.Chown(dir, uid, gid);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    static Task PgCtlAsync(LocalClusterSettings s, string[] args, ILog log, CancellationToken ct) =>
        AsPostgresAsync(s, Bin("pg_ctl"), [.. args, "-D", Data(s), "-w", "-t", "60", "-s"], log, ct);

    /// <summary>A tool as the postgres OS user (postgres refuses to run as root), from a directory it may enter.</summary>
    static async Task<string> AsPostgresAsync(LocalClusterSettings s, string tool, string[] args, ILog log, CancellationToken ct, string? stdin = null)
    {
        try
        {
            var result = await Proc.RunAsync(Runuser, ["-u", OsUser, "--", tool, .. args],
                new ProcOptions { Log = log, WorkingDirectory = Dir(s), StdIn = stdin, Timeout = TimeSpan.FromSeconds(120) }, ct);
            return result.StdOut;
        }
        catch (ProcException e)
        {
            throw new BuildFailure($"FSW6005: {Path.GetFileName(tool)} failed: {e.Message} See {LogFile(s)}.{Proc.LogTail(LogFile(s), 6)}", e);
        }
    }

    /// <summary>SQL on psql's stdin (never its command line), as the superuser over the server's socket.</summary>
    static Task<string> PsqlAsync(LocalClusterSettings s, string sql, ILog log, CancellationToken ct) =>
        AsPostgresAsync(s, Bin("psql"), ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", SocketDir(s), "-p", Port.ToString(), "-d", "postgres"],
            log, ct, stdin: sql);

    /// <summary>Null when the master logs in; else why not (a refused password, or another reason).</summary>
    static async Task<string?> MasterLoginAsync(DatabaseConfig db, string password, CancellationToken ct)
    {
        var csb = PostgresConnector.Builder(db, db.MasterUser, DatabaseNames.MaintenanceDatabase);
        csb.Password = password;
        await using var c = new NpgsqlConnection(csb.ConnectionString);
        try
        {
            await c.OpenAsync(ct);
            return null;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            return $"{e.MessageText} (SQLSTATE {e.SqlState})";
        }
        catch (NpgsqlException e)
        {
            throw new BuildFailure($"FSW6005: PostgreSQL on 127.0.0.1:{Port} did not answer the master's login: {e.Message}");
        }
    }

    /// <summary>The gateway address and subnet of the engine's docker_gwbridge (IPv4).</summary>
    static async Task<(string Gateway, string Subnet)> GwBridgeAsync(Docker docker, CancellationToken ct)
    {
        var inspect = await docker.RunAsync(["network", "inspect", "docker_gwbridge", "--format", "{{json .IPAM.Config}}"], ct, check: false);
        if (!inspect.Ok)
            throw new BuildFailure($"FSW6005: the engine at {docker.Socket} has no docker_gwbridge network (swarm tasks reach the host through it): {inspect.StdErr.Trim()}");
        using var doc = JsonDocument.Parse(inspect.StdOut);
        foreach (var entry in doc.RootElement.EnumerateArray())
        {
            var subnet = entry.TryGetProperty("Subnet", out var sn) ? sn.GetString() : null;
            var gateway = entry.TryGetProperty("Gateway", out var gw) ? gw.GetString() : null;
            if (subnet is null || subnet.Contains(':')) continue;
            if (string.IsNullOrEmpty(gateway)) // docker leaves it out at times: the bridge's own address is the gateway
                gateway = (await Proc.RunAsync("ip", ["-4", "-o", "addr", "show", "dev", await BridgeInterfaceAsync(docker, ct)], new ProcOptions(), ct))
                    .StdOut.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "inet").Skip(1).FirstOrDefault()?.Split('/')[0];
            if (!string.IsNullOrEmpty(gateway)) return (gateway, subnet);
        }
        throw new BuildFailure($"FSW6005: docker_gwbridge of the engine at {docker.Socket} has no IPv4 subnet and gateway ({inspect.StdOut.Trim()}).");
    }

    static async Task<string> BridgeInterfaceAsync(Docker docker, CancellationToken ct)
    {
        var name = await docker.OutAsync(ct, "network", "inspect", "docker_gwbridge", "--format", "{{index .Options \"com.docker.network.bridge.name\"}}");
        return name.Length > 0 ? name : "docker_gwbridge";
    }

    static async Task<bool> AcceptsAsync(string address, CancellationToken ct)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try { await client.ConnectAsync(address, Port, timeout.Token); return true; }
        catch (Exception e) when (e is SocketException or OperationCanceledException) { return false; }
    }

    const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
}
