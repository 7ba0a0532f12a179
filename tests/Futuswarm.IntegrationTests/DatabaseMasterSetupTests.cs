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

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var keyFile = Path.Combine(_dir, "master.key");
        LocalKeyProvider.CreateKeyFile(keyFile);
        _keys = LocalKeyProvider.Load(keyFile);
        _creds = new DatabaseCredentialsRepository(new LocalDirectoryStore(Path.Combine(_dir, "store")), new EnvelopeCipher(_keys), "it");
        // What RDS gives its master user: CREATEDB and CREATEROLE, no superuser.
        await TestDatabase.SuperuserAsync($"CREATE ROLE {PgQuote.Identifier(Admin)} WITH LOGIN NOSUPERUSER CREATEDB CREATEROLE INHERIT " +
            $"PASSWORD {PgQuote.Literal(ScramVerifier.Compute(_adminPassword))};");
        var csb = PostgresConnector.Builder(TestDatabase.Config, Admin, "postgres");
        csb.Password = _adminPassword;
        _admin = NpgsqlDataSource.Create(csb);
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        try { await TestDatabase.SuperuserAsync($"DROP ROLE IF EXISTS {PgQuote.Identifier(Master)}; DROP ROLE IF EXISTS {PgQuote.Identifier(Admin)};"); }
        catch (Exception e) { output.WriteLine($"cleanup: {e.Message}"); }
        _keys?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<MasterSetupResult> EnsureAsync() => DatabaseMasterSetup.EnsureAsync(_admin, _creds, Master, _log.Add, CancellationToken.None);

    private async Task<string> FlagsAsync() =>
        await TestDatabase.SuperuserAsync(MasterRoleSql.FlagsQuery(PgQuote.Literal(Master)) + ";");

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
        await using (var c = await TestDatabase.OpenAsync(Master, password!, "postgres"))
            Assert.Equal(Master, await TestDatabase.ScalarAsync(c, "SELECT current_user"));
        // PUBLIC keeps no TEMPORARY on postgres and template1 (LocalCluster revoked it; the check found nothing to do).
        Assert.Equal("0", await TestDatabase.SuperuserAsync(MasterRoleSql.PublicTemporaryQuery + ";"));
        await AssertNoSecretInLogAsync();
    }

    [Fact]
    public async Task DriftedAttributesAndAForeignPasswordAreRepaired()
    {
        await EnsureAsync();
        await TestDatabase.SuperuserAsync($"ALTER ROLE {PgQuote.Identifier(Master)} WITH NOCREATEDB NOINHERIT PASSWORD {PgQuote.Literal(ScramVerifier.Compute(DatabasePasswords.New()))};");

        var repaired = await EnsureAsync();

        Assert.Equal(new MasterSetupResult(false, false, AttributesRepaired: true, PasswordReset: true, TemporaryRevoked: false), repaired);
        Assert.Equal("t,f,t,t,t,f,f", await FlagsAsync());
        await using (var c = await TestDatabase.OpenAsync(Master, (await _creds.LoadMasterPasswordAsync(CancellationToken.None))!, "postgres"))
            Assert.Equal(1, await TestDatabase.ScalarAsync(c, "SELECT 1"));
        Assert.False((await EnsureAsync()).ChangedAnything);
        await AssertNoSecretInLogAsync();
    }

    [Fact]
    public async Task AnAdminThatCannotLogInIsFsw6039WithoutItsPassword()
    {
        var csb = PostgresConnector.Builder(TestDatabase.Config, Admin, "postgres");
        csb.Password = "wrong-" + _adminPassword;
        await using var wrong = NpgsqlDataSource.Create(csb);

        var e = await Assert.ThrowsAsync<FswException>(() => DatabaseMasterSetup.EnsureAsync(wrong, _creds, Master, _log.Add, CancellationToken.None));

        Assert.Equal(ErrorCodes.DatabaseMasterSetupFailed, e.Code);
        Assert.Contains("28P01", e.Message);
        Assert.DoesNotContain(_adminPassword, e.ToString());
    }
}
