using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;
using Npgsql;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// DatabaseMasterSetup against the local cluster's real PostgreSQL 15, as a manager runs it on RDS: connected as an
/// RDS-like admin (LOGIN CREATEDB CREATEROLE, not superuser) made for the test, with the master's password sealed in a
/// store of the test's own (not the cluster's), and a master role of the test's own name, both dropped afterwards.
/// It reaches the server as TestDatabase does, but without TestCluster (which also needs the built SDK packages).
/// </summary>
public sealed class DatabaseMasterSetupTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fsw-it-master-" + Guid.NewGuid().ToString("N"));
    private string Admin => $"it_rds_admin_{_suffix}";
    private string Master => $"it_master_{_suffix}";
    private readonly string _adminPassword = DatabasePasswords.New();
    private LocalKeyProvider? _keys;
    private DatabaseCredentialsRepository _creds = null!;
    private NpgsqlDataSource _admin = null!;
    private readonly List<string> _log = [];

    private static readonly string Root = Environment.GetEnvironmentVariable("FUTUSWARM_LOCAL_DIR") is { Length: > 0 } d ? d : "/var/lib/futuswarm/local";
    private static readonly Lazy<Futuswarm.Cluster.Config.DatabaseConfig> Db = new(() =>
        Futuswarm.Cluster.Config.DaemonConfig.Load(Path.Combine(Root, "managerd.json")).Database
        ?? throw new InvalidOperationException("managerd.json has no database section: run ./build.sh LocalCluster"));

    /// <summary>SQL as the superuser over the server's socket (SQL on stdin, never in arguments), as TestDatabase.SuperuserAsync.</summary>
    private static Task<string> SuperuserAsync(string sql) =>
        TestProcess.RunAsync("/usr/sbin/runuser", ["-u", "postgres", "--", Path.Combine(Path.GetDirectoryName(Db.Value.PgDump)!, "psql"),
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", Path.Combine(Root, "postgres", "run"), "-p", Db.Value.Port.ToString(), "-d", "postgres"], sql);

    private static async Task<NpgsqlConnection> OpenAsync(string user, string password)
    {
        var csb = PostgresConnector.Builder(Db.Value, user, "postgres");
        csb.Password = password;
        var c = new NpgsqlConnection(csb.ConnectionString);
        await c.OpenAsync();
        return c;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        return await cmd.ExecuteScalarAsync();
    }

    public async Task InitializeAsync()
    {
        try { await SetUpAsync(); }
        catch
        {
            // xunit skips DisposeAsync when InitializeAsync fails: nothing of the test may stay behind.
            await DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync()
    {
        Directory.CreateDirectory(_dir);
        var keyFile = Path.Combine(_dir, "master.key");
        LocalKeyProvider.CreateKeyFile(keyFile);
        _keys = LocalKeyProvider.Load(keyFile);
        _creds = new DatabaseCredentialsRepository(new LocalDirectoryStore(Path.Combine(_dir, "store")), new EnvelopeCipher(_keys), "it");
        // What RDS gives its master user: CREATEDB and CREATEROLE, no superuser.
        await SuperuserAsync($"CREATE ROLE {PgQuote.Identifier(Admin)} WITH LOGIN NOSUPERUSER CREATEDB CREATEROLE INHERIT " +
            $"PASSWORD {PgQuote.Literal(ScramVerifier.Compute(_adminPassword))};");
        var csb = PostgresConnector.Builder(Db.Value, Admin, "postgres");
        csb.Password = _adminPassword;
        _admin = NpgsqlDataSource.Create(csb);
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null) await _admin.DisposeAsync();
        try { await SuperuserAsync($"DROP ROLE IF EXISTS {PgQuote.Identifier(Master)}; DROP ROLE IF EXISTS {PgQuote.Identifier(Admin)};"); }
        catch (Exception e) { output.WriteLine($"cleanup: {e.Message}"); }
        _keys?.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private Task<MasterSetupResult> EnsureAsync() => DatabaseMasterSetup.EnsureAsync(_admin, _creds, Master, _log.Add, CancellationToken.None);

    private async Task<string> FlagsAsync() =>
        await SuperuserAsync(MasterRoleSql.FlagsQuery(PgQuote.Literal(Master)) + ";");

    private async Task AssertNoSecretInLogAsync()
    {
        var password = await _creds.LoadMasterPasswordAsync(CancellationToken.None);
        Assert.NotNull(password);
        foreach (var line in _log) output.WriteLine(line);
        Assert.DoesNotContain(_log, l => l.Contains(password!, StringComparison.Ordinal) || l.Contains(_adminPassword, StringComparison.Ordinal)
            || l.Contains("SCRAM-SHA-256$", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureTwiceMakesANonSuperuserMasterThatLogsInWithItsSealedPasswordAndChangesNothingTheSecondTime()
    {
        var first = await EnsureAsync();
        var second = await EnsureAsync();

        Assert.Equal(new MasterSetupResult(PasswordSealed: true, Created: true, AttributesRepaired: false, PasswordReset: false, TemporaryRevoked: false), first);
        Assert.False(second.ChangedAnything);
        Assert.Equal("t,f,t,t,t,f,f", await FlagsAsync()); // login, not super, createdb, createrole, inherit, no replication, no bypassrls
        var password = await _creds.LoadMasterPasswordAsync(CancellationToken.None);
        await using (var c = await OpenAsync(Master, password!))
            Assert.Equal(Master, await ScalarAsync(c, "SELECT current_user"));
        // PUBLIC keeps no TEMPORARY on postgres and template1 (LocalCluster revoked it; the check found nothing to do).
        Assert.Equal("0", await SuperuserAsync(MasterRoleSql.PublicTemporaryQuery + ";"));
        await AssertNoSecretInLogAsync();
    }

    [Fact]
    public async Task DriftedAttributesAndAForeignPasswordAreRepaired()
    {
        await EnsureAsync();
        await SuperuserAsync($"ALTER ROLE {PgQuote.Identifier(Master)} WITH NOCREATEDB NOINHERIT PASSWORD {PgQuote.Literal(ScramVerifier.Compute(DatabasePasswords.New()))};");

        var repaired = await EnsureAsync();

        Assert.Equal(new MasterSetupResult(false, false, AttributesRepaired: true, PasswordReset: true, TemporaryRevoked: false), repaired);
        Assert.Equal("t,f,t,t,t,f,f", await FlagsAsync());
        await using (var c = await OpenAsync(Master, (await _creds.LoadMasterPasswordAsync(CancellationToken.None))!))
            Assert.Equal(1, await ScalarAsync(c, "SELECT 1"));
        Assert.False((await EnsureAsync()).ChangedAnything);
        await AssertNoSecretInLogAsync();
    }

    [Fact]
    public async Task AMasterMadeReplicationByASuperuserIsReportedNotChanged()
    {
        await EnsureAsync();
        await SuperuserAsync($"ALTER ROLE {PgQuote.Identifier(Master)} WITH REPLICATION NOCREATEDB;");

        var e = await Assert.ThrowsAsync<FswException>(EnsureAsync);

        Assert.Equal(ErrorCodes.DatabaseMasterSetupFailed, e.Code);
        Assert.Contains("has REPLICATION, which only a superuser can take away", e.Message);
        Assert.Equal("t,f,f,t,t,t,f", await FlagsAsync());
    }

    [Fact]
    public async Task AnAdminThatCannotLogInIsFsw6039WithoutItsPassword()
    {
        var csb = PostgresConnector.Builder(Db.Value, Admin, "postgres");
        csb.Password = "wrong-" + _adminPassword;
        await using var wrong = NpgsqlDataSource.Create(csb);

        var e = await Assert.ThrowsAsync<FswException>(() => DatabaseMasterSetup.EnsureAsync(wrong, _creds, Master, _log.Add, CancellationToken.None));

        Assert.Equal(ErrorCodes.DatabaseMasterSetupFailed, e.Code);
        Assert.Contains("28P01", e.Message);
        Assert.DoesNotContain(_adminPassword, e.ToString());
    }
}

/// <summary>Runs a tool without a shell; its trimmed stdout, or an exception with its stderr.</summary>
internal static class TestProcess
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string stdin)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = "/",
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {p.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }
}
