using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Futuswarm.Cluster.Databases;
using Futuswarm.Protocol;
using Npgsql;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// PostgresDatabaseAdmin against the local cluster's real PostgreSQL 15, as the daemon runs it (the non-superuser
/// master, its password sealed in the store): idempotent set-up, isolation between services, hostile names,
/// rotation, drop, backup and restore, and an unreachable server.
/// </summary>
public sealed class DatabaseAdminTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly PostgresDatabaseAdmin _admin = TestDatabase.Admin();
    private readonly List<string> _services = [];
    private readonly List<string> _backupKeys = [];

    private string NewService(string prefix = "db")
    {
        var name = TestCluster.NewServiceName(prefix);
        _services.Add(name);
        return name;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var s in _services)
            try { await _admin.DropAsync(s, CancellationToken.None); }
            catch (Exception e) { output.WriteLine($"cleanup of {s}: {e.Message}"); }
        foreach (var k in _backupKeys) await ClusterState.Store.DeleteAsync(k, CancellationToken.None);
    }

    [Fact]
    public async Task Ensure_twice_gives_the_same_login_whose_objects_belong_to_the_owner()
    {
        var svc = NewService();
        var watch = Stopwatch.StartNew();
        var first = await _admin.EnsureAsync(svc, CancellationToken.None);
        var created = watch.Elapsed;
        watch.Restart();
        var second = await _admin.EnsureAsync(svc, CancellationToken.None);
        output.WriteLine($"ensure: {created.TotalMilliseconds:0} ms to create, {watch.Elapsed.TotalMilliseconds:0} ms when all is there");
        Assert.Equal(first, second); // role and password
        Assert.Equal(svc, first.Database);
        Assert.Equal(svc + "_a", first.Role);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first.Password);

        await using (var c = await TestDatabase.OpenAsync(first))
        {
            Assert.Equal($"{svc}_owner {svc}_a {svc}", await TestDatabase.ScalarAsync(c, "SELECT current_user || ' ' || session_user || ' ' || current_database()"));
            await TestDatabase.ExecAsync(c, "CREATE TABLE visits (id serial PRIMARY KEY, note text); INSERT INTO visits (note) VALUES ('first')");
            Assert.Equal(svc + "_owner", await TestDatabase.ScalarAsync(c, "SELECT tableowner FROM pg_tables WHERE tablename = 'visits'"));
        }

        // A third ensure (a redeploy) keeps the data.
        await _admin.EnsureAsync(svc, CancellationToken.None);
        await using (var c = await TestDatabase.OpenAsync(first))
            Assert.Equal("first", await TestDatabase.ScalarAsync(c, "SELECT note FROM visits"));

        var info = await _admin.InfoAsync(svc, CancellationToken.None);
        Assert.NotNull(info);
        Assert.Equal("postgres", info.Kind);
        Assert.Equal(svc, info.Name);
        Assert.Equal(svc + "_owner", info.Owner);
        Assert.Equal([svc + "_a", svc + "_b"], info.LoginRoles);
        Assert.Equal(svc + "_a", info.ActiveRole);
        Assert.True(info.SizeBytes > 1_000_000, $"size {info.SizeBytes}");
        Assert.NotNull(info.PasswordSetAt);
        Assert.DoesNotContain(first.Password, JsonSerializer.Serialize(info, Wire.Json));

        // The credentials are in the store, sealed.
        var stored = await ClusterState.Store.ReadAsync(DatabaseCredentialsRepository.KeyOf(svc), CancellationToken.None);
        Assert.NotNull(stored);
        Assert.DoesNotContain(first.Password, Encoding.UTF8.GetString(stored));
        Assert.Null(await _admin.InfoAsync(TestCluster.NewServiceName("none"), CancellationToken.None));
    }

    [Fact]
    public async Task The_database_and_schema_public_are_closed_to_PUBLIC()
    {
        var svc = NewService();
        await _admin.EnsureAsync(svc, CancellationToken.None);
        await using var master = await TestDatabase.OpenMasterAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT pg_get_userbyid(datdba), has_database_privilege('public', datname, 'CONNECT'), has_database_privilege('public', datname, 'TEMPORARY') " +
            "FROM pg_database WHERE datname = $1", master) { Parameters = { new() { Value = svc } } };
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await r.ReadAsync());
            Assert.Equal(svc + "_owner", r.GetString(0));
            Assert.False(r.GetBoolean(1));
            Assert.False(r.GetBoolean(2));
        }
        await using var inside = await TestDatabase.OpenMasterAsync(svc);
        Assert.Equal(svc + "_owner", await TestDatabase.ScalarAsync(inside, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'"));
        Assert.Equal(false, await TestDatabase.ScalarAsync(inside, "SELECT has_schema_privilege('public', 'public', 'CREATE')"));
        Assert.Equal(false, await TestDatabase.ScalarAsync(inside, $"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{svc}_owner'"));
    }

    [Fact]
    public async Task A_services_login_reaches_only_its_own_database_and_cannot_touch_another_services_roles()
    {
        var (a, b) = (NewService("dba"), NewService("dbb"));
        var la = await _admin.EnsureAsync(a, CancellationToken.None);
        var lb = await _admin.EnsureAsync(b, CancellationToken.None);
        await using (var cb = await TestDatabase.OpenAsync(lb))
            await TestDatabase.ExecAsync(cb, "CREATE TABLE secret (v text); INSERT INTO secret VALUES ('b-only')");
        var before = await TestDatabase.SnapshotAsync();

        // Not into B's database, not even with B's role name and A's password.
        Assert.Equal("42501", (await TestDatabase.RefusedAsync(() => TestDatabase.OpenAsync(la, b))).SqlState);
        Assert.Equal("28P01", (await TestDatabase.RefusedAsync(() => TestDatabase.OpenAsync(lb.Role, la.Password, b))).SqlState);

        // Nothing created in the cluster's own databases (it may connect to postgres and template1, as PUBLIC may).
        foreach (var db in new[] { "postgres", "template1" })
        {
            await using var c = await TestDatabase.OpenAsync(la, db);
            foreach (var sql in new[] { "CREATE TABLE public.x (i int)", "CREATE SCHEMA x", "CREATE TEMP TABLE x (i int)", "CREATE FUNCTION public.f() RETURNS int AS 'SELECT 1' LANGUAGE sql" })
            {
                var e = await TestDatabase.RefusedAsync(() => TestDatabase.ExecAsync(c, sql));
                Assert.True(e.SqlState == "42501", $"{db}: {sql}: {e.SqlState} {e.MessageText}");
            }
        }

        // From its own database: no role or database changes outside its own objects.
        await using (var c = await TestDatabase.OpenAsync(la))
        {
            string[] statements =
            [
                $"ALTER ROLE \"{b}_a\" WITH PASSWORD NULL",
                $"ALTER ROLE \"{b}_owner\" WITH LOGIN",
                $"GRANT \"{b}_owner\" TO \"{a}_a\"",
                $"GRANT \"{a}_owner\" TO \"{b}_a\"",
                $"GRANT \"{b}_a\" TO \"{a}_owner\"",
                $"SET ROLE \"{b}_owner\"",
                $"DROP ROLE \"{b}_a\"",
                $"DROP DATABASE \"{b}\"",
                $"ALTER DATABASE \"{b}\" OWNER TO \"{a}_owner\"",
                $"GRANT CONNECT ON DATABASE \"{b}\" TO \"{a}_owner\"",
                $"ALTER ROLE \"{a}_a\" WITH CREATEDB",
                $"ALTER ROLE \"{a}_owner\" WITH LOGIN",
                $"GRANT \"{a}_owner\" TO \"{a}_b\"", // no ADMIN OPTION on its own owner either
                "CREATE ROLE intruder LOGIN PASSWORD NULL",
                "CREATE DATABASE intruder",
                $"ALTER ROLE \"{TestDatabase.Config.MasterUser}\" WITH PASSWORD NULL",
                $"GRANT \"{a}_owner\" TO \"{TestDatabase.Config.MasterUser}\" WITH ADMIN OPTION",
            ];
            foreach (var sql in statements)
            {
                var e = await TestDatabase.RefusedAsync(() => TestDatabase.ExecAsync(c, sql));
                Assert.True(e.SqlState is "42501" or "0LP01", $"{sql}: {e.SqlState} {e.MessageText}");
            }
        }

        Assert.Equal(before.Roles, (await TestDatabase.SnapshotAsync()).Roles);
        Assert.Equal(before.Databases, (await TestDatabase.SnapshotAsync()).Databases);
        await using (var cb = await TestDatabase.OpenAsync(lb))
            Assert.Equal("b-only", await TestDatabase.ScalarAsync(cb, "SELECT v FROM secret"));
    }

    public static TheoryData<string> HostileNames => new()
    {
        "", "a'b", "a\"b", "a;drop database postgres", "x\"; DROP ROLE futuswarm_master; --", "a b", "ünïcødé", "apρ", "UPPER", "my_app",
        "a\\b", "a\0b", "-a", "a-", "1a", new string('a', 41), new string('a', 64), new string('a', 70),
        "futuswarm", "futuswarm-master", "postgres", "template0", "template1", "rdsadmin", "pg_signal_backend",
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task A_hostile_name_is_refused_by_validation_and_changes_nothing(string service)
    {
        var before = await TestDatabase.SnapshotAsync();
        Func<Task>[] calls =
        [
            () => _admin.EnsureAsync(service, CancellationToken.None),
            () => _admin.InfoAsync(service, CancellationToken.None),
            () => _admin.PrepareRotationAsync(service, CancellationToken.None),
            () => _admin.CompleteRotationAsync(service, new DatabaseLogin(service, service + "_a", "x"), CancellationToken.None),
            () => _admin.DropAsync(service, CancellationToken.None),
            () => _admin.BackupAsync(service, CancellationToken.None),
        ];
        foreach (var call in calls)
            Assert.Equal(ErrorCodes.InvalidServiceName, (await Assert.ThrowsAsync<FswException>(call)).Code);
        var after = await TestDatabase.SnapshotAsync();
        Assert.Equal(before.Roles, after.Roles);
        Assert.Equal(before.Databases, after.Databases);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("select")]
    [InlineData("public")]
    [InlineData("table")]
    [InlineData("current-user")]
    public async Task Reserved_words_are_quoted_and_create_exactly_one_database_and_three_roles(string service)
    {
        await _admin.DropAsync(service, CancellationToken.None); // left by an interrupted run
        _services.Add(service);
        var before = await TestDatabase.SnapshotAsync();

        var watch = Stopwatch.StartNew();
        var login = await _admin.EnsureAsync(service, CancellationToken.None);
        output.WriteLine($"ensure {service}: {watch.ElapsedMilliseconds} ms");
        var during = await TestDatabase.SnapshotAsync();
        Assert.Equal([service + "_a", service + "_b", service + "_owner"], during.Roles.Except(before.Roles).Order(StringComparer.Ordinal));
        Assert.Empty(before.Roles.Except(during.Roles));
        Assert.Equal([service], during.Databases.Except(before.Databases));
        Assert.Empty(before.Databases.Except(during.Databases));
        await using (var c = await TestDatabase.OpenAsync(login))
            Assert.Equal(service, await TestDatabase.ScalarAsync(c, "SELECT current_database()"));

        Assert.True(await _admin.DropAsync(service, CancellationToken.None));
        var after = await TestDatabase.SnapshotAsync();
        Assert.Equal(before.Roles, after.Roles);
        Assert.Equal(before.Databases, after.Databases);
    }

    [Fact]
    public async Task The_longest_service_name_gets_its_database()
    {
        var svc = "db-" + Guid.NewGuid().ToString("N") + "12345"; // 3 + 32 + 5 = 40
        Assert.Equal(Validation.MaxServiceNameLength, svc.Length);
        _services.Add(svc);
        var login = await _admin.EnsureAsync(svc, CancellationToken.None);
        await using var c = await TestDatabase.OpenAsync(login);
        Assert.Equal(svc + "_owner", await TestDatabase.ScalarAsync(c, "SELECT current_user"));
    }

    /// <summary>The quoting helper, checked by the server itself: what it reads back is what was meant.</summary>
    [Fact]
    public async Task Quoted_identifiers_and_literals_mean_exactly_themselves_to_the_server()
    {
        string[] values =
        [
            "plain", "it's", "a\"b", "'; DROP ROLE futuswarm_master; --", "\"; DROP DATABASE postgres; --", "a\\b", "\\'", "\\",
            "$$", "$x$ dollar $x$", "ünïcødé 😀", "tab\tnew\nline", "select", "user", "public", "Upper", new string('q', 63),
        ];
        await using var c = await TestDatabase.OpenMasterAsync();
        foreach (var conforming in new[] { "on", "off" })
        {
            await TestDatabase.ExecAsync(c, $"SET standard_conforming_strings = {conforming}; SET escape_string_warning = off");
            foreach (var v in values)
            {
                Assert.Equal(v, await TestDatabase.ScalarAsync(c, $"SELECT {PgQuote.Literal(v)}"));
                await using var cmd = new NpgsqlCommand($"SELECT 1 AS {PgQuote.Identifier(v)}", c);
                await using var r = await cmd.ExecuteReaderAsync();
                Assert.Equal(v, r.GetName(0));
            }
        }
    }

    /// <summary>A verifier made here logs in with its password, even one full of quoting characters, and not with another.</summary>
    [Fact]
    public async Task A_client_side_SCRAM_verifier_logs_in_with_its_password_only()
    {
        var role = TestCluster.NewServiceName("scram");
        const string password = "a'b\"c\\d;$e%{}--/*x*/'';";
        await using var master = await TestDatabase.OpenMasterAsync();
        await TestDatabase.ExecAsync(master, DatabaseSql.CreateLogin(role, ScramVerifier.Compute(password)));
        try
        {
            await using (var c = await TestDatabase.OpenAsync(role, password, "postgres"))
                Assert.Equal(role, await TestDatabase.ScalarAsync(c, "SELECT current_user"));
            Assert.Equal("28P01", (await TestDatabase.RefusedAsync(() => TestDatabase.OpenAsync(role, password + "x", "postgres"))).SqlState);
        }
        finally { await TestDatabase.ExecAsync(master, DatabaseSql.DropRoles([role])); }
    }

    [Fact]
    public async Task Rotation_gives_the_other_role_a_password_while_the_active_one_works_then_retires_the_old_one()
    {
        var svc = NewService();
        var first = await _admin.EnsureAsync(svc, CancellationToken.None);
        await using (var c = await TestDatabase.OpenAsync(first))
            await TestDatabase.ExecAsync(c, "CREATE TABLE t (v text); INSERT INTO t VALUES ('by a')");

        var next = await _admin.PrepareRotationAsync(svc, CancellationToken.None);
        Assert.Equal(svc + "_b", next.Role);
        Assert.NotEqual(first.Password, next.Password);
        await using (var old = await TestDatabase.OpenAsync(first)) Assert.Equal(1L, await TestDatabase.ScalarAsync(old, "SELECT count(*) FROM t"));
        await using (var c = await TestDatabase.OpenAsync(next))
        {
            // Both logins act as the owner: b reads and writes what a made.
            await TestDatabase.ExecAsync(c, "INSERT INTO t VALUES ('by b')");
            Assert.Equal(2L, await TestDatabase.ScalarAsync(c, "SELECT count(*) FROM t"));
        }
        // Until the rollout completes, a redeploy still gets the active login.
        Assert.Equal(first, await _admin.EnsureAsync(svc, CancellationToken.None));
        await using (var c = await TestDatabase.OpenAsync(next)) { } // and the prepared one still works

        await using var lingering = await TestDatabase.OpenAsync(first); // a task of the old release, still connected
        await _admin.CompleteRotationAsync(svc, next, CancellationToken.None);
        Assert.Equal("28P01", (await TestDatabase.RefusedAsync(() => TestDatabase.OpenAsync(first))).SqlState);
        await using (var c = await TestDatabase.OpenAsync(next)) Assert.Equal(2L, await TestDatabase.ScalarAsync(c, "SELECT count(*) FROM t"));
        Assert.Equal(next, await _admin.EnsureAsync(svc, CancellationToken.None));
        Assert.Equal(svc + "_b", (await _admin.InfoAsync(svc, CancellationToken.None))!.ActiveRole);
        await _admin.CompleteRotationAsync(svc, next, CancellationToken.None); // repeated: nothing changes

        // A completion with a password that is not the prepared one is refused and changes nothing.
        var stale = await Assert.ThrowsAsync<FswException>(() => _admin.CompleteRotationAsync(svc, first with { Password = "not-it" }, CancellationToken.None));
        Assert.Equal(ErrorCodes.ConcurrentChange, stale.Code);

        // And back to a, with a new password.
        var third = await _admin.PrepareRotationAsync(svc, CancellationToken.None);
        Assert.Equal(svc + "_a", third.Role);
        Assert.NotEqual(first.Password, third.Password);
        await _admin.CompleteRotationAsync(svc, third, CancellationToken.None);
        Assert.Equal("28P01", (await TestDatabase.RefusedAsync(() => TestDatabase.OpenAsync(next))).SqlState);
        await using (var c = await TestDatabase.OpenAsync(third)) Assert.Equal(2L, await TestDatabase.ScalarAsync(c, "SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Drop_removes_the_database_its_roles_and_the_credentials_and_twice_is_fine()
    {
        var svc = NewService();
        var before = await TestDatabase.SnapshotAsync();
        var login = await _admin.EnsureAsync(svc, CancellationToken.None);
        await using var connected = await TestDatabase.OpenAsync(login); // a running task does not keep it from being dropped

        Assert.True(await _admin.DropAsync(svc, CancellationToken.None));
        var after = await TestDatabase.SnapshotAsync();
        Assert.Equal(before.Roles, after.Roles);
        Assert.Equal(before.Databases, after.Databases);
        Assert.Null(await ClusterState.Store.ReadAsync(DatabaseCredentialsRepository.KeyOf(svc), CancellationToken.None));
        Assert.Null(await _admin.InfoAsync(svc, CancellationToken.None));
        Assert.False(await _admin.DropAsync(svc, CancellationToken.None));
        Assert.Equal(ErrorCodes.DatabaseNotFound, (await Assert.ThrowsAsync<FswException>(() => _admin.PrepareRotationAsync(svc, CancellationToken.None))).Code);
        Assert.Equal(ErrorCodes.DatabaseNotFound, (await Assert.ThrowsAsync<FswException>(() => _admin.BackupAsync(svc, CancellationToken.None))).Code);

        // A new ensure starts over with a new password.
        var again = await _admin.EnsureAsync(svc, CancellationToken.None);
        Assert.NotEqual(login.Password, again.Password);
        await using var c = await TestDatabase.OpenAsync(again);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task A_database_that_Futuswarm_did_not_make_is_neither_adopted_nor_dropped()
    {
        var svc = NewService();
        await using var master = await TestDatabase.OpenMasterAsync();
        await TestDatabase.ExecAsync(master, $"CREATE DATABASE \"{svc}\""); // owned by the master, not by svc_owner
        try
        {
            var e = await Assert.ThrowsAsync<FswException>(() => _admin.EnsureAsync(svc, CancellationToken.None));
            Assert.Equal(ErrorCodes.DatabaseFailed, e.Code);
            Assert.Contains("does not adopt", e.Message);
            Assert.Equal(ErrorCodes.DatabaseFailed, (await Assert.ThrowsAsync<FswException>(() => _admin.DropAsync(svc, CancellationToken.None))).Code);
            Assert.Equal(1L, await TestDatabase.ScalarAsync(master, $"SELECT count(*) FROM pg_database WHERE datname = '{svc}'"));
        }
        finally
        {
            await TestDatabase.ExecAsync(master, $"DROP DATABASE IF EXISTS \"{svc}\"");
        }
    }

    [Fact]
    public async Task A_backup_restores_into_an_empty_database_with_the_same_rows()
    {
        var svc = NewService();
        var login = await _admin.EnsureAsync(svc, CancellationToken.None);
        await using (var c = await TestDatabase.OpenAsync(login))
            await TestDatabase.ExecAsync(c, "CREATE TABLE visits (id int PRIMARY KEY, note text); " +
                "INSERT INTO visits SELECT i, 'visit ' || i || ' ünï ''q''' FROM generate_series(1, 500) i");

        var started = DateTimeOffset.UtcNow;
        var backup = await _admin.BackupAsync(svc, CancellationToken.None);
        _backupKeys.Add(backup.Key);
        output.WriteLine($"{backup.Key}: {backup.SizeBytes} bytes in {(DateTimeOffset.UtcNow - started).TotalMilliseconds:0} ms");
        Assert.Matches($"^backups/[0-9]{{8}}T[0-9]{{6}}Z/databases/{svc}\\.dump$", backup.Key);
        Assert.True(backup.SizeBytes > 1000);

        // Sealed in the store; the dump itself starts with pg_dump's custom-format magic.
        var stored = await ClusterState.Store.ReadAsync(backup.Key, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.DoesNotContain("PGDMP", Encoding.Latin1.GetString(stored));
        Assert.DoesNotContain("visit 1", Encoding.Latin1.GetString(stored));
        var dump = await _admin.OpenBackupAsync(backup.Key, CancellationToken.None);
        Assert.NotNull(dump);
        Assert.Equal(backup.SizeBytes, dump.LongLength);
        Assert.Equal("PGDMP", Encoding.ASCII.GetString(dump, 0, 5));

        var restored = TestCluster.NewServiceName("restore");
        var file = Path.Combine(Path.GetTempPath(), restored + ".dump");
        await using var master = await TestDatabase.OpenMasterAsync();
        await TestDatabase.ExecAsync(master, $"CREATE DATABASE \"{restored}\"");
        try
        {
            File.WriteAllBytes(file, []);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllBytesAsync(file, dump);
            var pgRestore = Path.Combine(Path.GetDirectoryName(TestDatabase.Config.PgDump)!, "pg_restore");
            await TestDatabase.RunAsync(pgRestore,
                ["--no-owner", "--no-privileges", "--exit-on-error", "--no-password", "-h", TestDatabase.Config.Host, "-p", TestDatabase.Config.Port.ToString(),
                 "-U", TestDatabase.Config.MasterUser, "-d", restored, file],
                env: new Dictionary<string, string> { ["PGPASSWORD"] = await TestDatabase.MasterPasswordAsync() });

            await using var original = await TestDatabase.OpenAsync(login);
            await using var copy = await TestDatabase.OpenMasterAsync(restored);
            const string rows = "SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM visits";
            Assert.Equal(await TestDatabase.ScalarAsync(original, rows), await TestDatabase.ScalarAsync(copy, rows));
            Assert.Equal(500L, await TestDatabase.ScalarAsync(copy, "SELECT count(*) FROM visits"));
        }
        finally
        {
            File.Delete(file);
            await TestDatabase.ExecAsync(master, $"DROP DATABASE IF EXISTS \"{restored}\" WITH (FORCE)");
        }
    }

    [Fact]
    public async Task A_backup_without_pg_dump_is_FSW5012()
    {
        var svc = NewService();
        await _admin.EnsureAsync(svc, CancellationToken.None);
        var admin = TestDatabase.Admin(TestDatabase.Config with { PgDump = "/nonexistent/pg_dump" });
        var e = await Assert.ThrowsAsync<FswException>(() => admin.BackupAsync(svc, CancellationToken.None));
        Assert.Equal(ErrorCodes.BackupFailed, e.Code);
        Assert.Contains("pg_dump", e.Message);
    }

    [Fact]
    public async Task The_master_creates_databases_and_roles_but_is_not_a_superuser()
    {
        await using var c = await TestDatabase.OpenMasterAsync();
        Assert.Equal("f t t t", await TestDatabase.ScalarAsync(c,
            "SELECT concat_ws(' ', CASE WHEN rolsuper THEN 't' ELSE 'f' END, CASE WHEN rolcreatedb THEN 't' ELSE 'f' END, " +
            "CASE WHEN rolcreaterole THEN 't' ELSE 'f' END, CASE WHEN rolcanlogin THEN 't' ELSE 'f' END) FROM pg_roles WHERE rolname = current_user"));
        Assert.Equal("42501", (await TestDatabase.RefusedAsync(() => TestDatabase.ScalarAsync(c, "SELECT count(*) FROM pg_authid"))).SqlState);
    }

    [Fact]
    public async Task PostgreSQL_not_answering_is_FSW5010_at_once_and_nothing_is_written()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var admin = TestDatabase.Admin(TestDatabase.Config with { Port = closedPort });
        var svc = NewService();

        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<FswException>(() => admin.EnsureAsync(svc, CancellationToken.None));
        output.WriteLine($"{watch.ElapsedMilliseconds} ms: {e.Message}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(ErrorCodes.DatabaseUnavailable, e.Code);
        Assert.Contains("did not answer", e.Message);
        Assert.Contains($"127.0.0.1:{closedPort}", e.Message);
        Assert.DoesNotContain(await TestDatabase.MasterPasswordAsync(), e.Message);
        Assert.Null(await ClusterState.Store.ReadAsync(DatabaseCredentialsRepository.KeyOf(svc), CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_master_password_is_FSW5010_without_the_password()
    {
        const string wrong = "wrong-password-0123456789";
        var connector = new PostgresConnector(TestDatabase.Config, _ => Task.FromResult<string?>(wrong));
        var e = await Assert.ThrowsAsync<FswException>(() => connector.OpenAsync("postgres", CancellationToken.None));
        Assert.Equal(ErrorCodes.DatabaseUnavailable, e.Code);
        Assert.Contains("28P01", e.Message);
        Assert.DoesNotContain(wrong, e.Message);
    }
}
