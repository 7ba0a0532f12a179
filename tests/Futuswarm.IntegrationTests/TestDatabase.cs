using System.Diagnostics;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.Secrets;
using Npgsql;

namespace Futuswarm.IntegrationTests;

/// <summary>The local cluster's PostgreSQL as the daemon reaches it (managerd.json's database section, the master's
/// password sealed in the store), plus the superuser over the server's socket for what only it may see.</summary>
public static class TestDatabase
{
    public static DatabaseConfig Config => TestCluster.Daemon.Database
        ?? throw new InvalidOperationException("managerd.json has no database section: run ./build.sh LocalCluster");

    public static EnvelopeCipher Cipher { get; } = new(StateFactory.CreateKeys(TestCluster.Daemon));

    public static PostgresDatabaseAdmin Admin() => PostgresDatabaseAdmin.Create(TestCluster.Daemon, ClusterState.Store, Cipher)!;

    public static PostgresDatabaseAdmin Admin(DatabaseConfig config) => new(config, ClusterState.Store, Cipher, TestCluster.Daemon.ClusterName);

    public static DatabaseCredentialsRepository Credentials => new(ClusterState.Store, Cipher, TestCluster.Daemon.ClusterName);

    public static async Task<string> MasterPasswordAsync() =>
        await Credentials.LoadMasterPasswordAsync(CancellationToken.None) ?? throw new InvalidOperationException("no sealed master password");

    public static async Task<NpgsqlConnection> OpenAsync(string user, string password, string database, string? host = null)
    {
        var csb = PostgresConnector.Builder(Config, user, database);
        csb.Password = password;
        if (host is not null) csb.Host = host;
        var c = new NpgsqlConnection(csb.ConnectionString);
        await c.OpenAsync();
        return c;
    }

    public static Task<NpgsqlConnection> OpenAsync(DatabaseLogin login, string? database = null) => OpenAsync(login.Role, login.Password, database ?? login.Database);

    public static async Task<NpgsqlConnection> OpenMasterAsync(string database = "postgres") =>
        await OpenAsync(Config.MasterUser, await MasterPasswordAsync(), database);

    public static async Task<object?> ScalarAsync(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        return await cmd.ExecuteScalarAsync();
    }

    public static async Task ExecAsync(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The PostgresException a statement fails with (the test fails if it succeeds).</summary>
    public static async Task<PostgresException> RefusedAsync(Func<Task> action) => await Assert.ThrowsAsync<PostgresException>(action);

    /// <summary>Every role and database on the server, for before/after comparisons.</summary>
    public static async Task<(SortedSet<string> Roles, SortedSet<string> Databases)> SnapshotAsync()
    {
        await using var c = await OpenMasterAsync();
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        var databases = new SortedSet<string>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("SELECT rolname FROM pg_roles", c))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) roles.Add(r.GetString(0));
        await using (var cmd = new NpgsqlCommand("SELECT datname FROM pg_database", c))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) databases.Add(r.GetString(0));
        return (roles, databases);
    }

    /// <summary>SQL as the superuser (the postgres OS user over the server's socket, SQL on stdin), unaligned tuples only.</summary>
    public static async Task<string> SuperuserAsync(string sql)
    {
        var socketDir = Path.Combine(TestCluster.Root, "postgres", "run");
        var psql = Path.Combine(Path.GetDirectoryName(Config.PgDump)!, "psql");
        return await RunAsync("/usr/sbin/runuser", ["-u", "postgres", "--", psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", socketDir, "-p", Config.Port.ToString(), "-d", "postgres"], stdin: sql);
    }

    /// <summary>Runs a tool (no shell); its trimmed stdout, or an exception with its stderr when it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = "/",
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(stdin ?? "");
        p.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {p.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }
}
