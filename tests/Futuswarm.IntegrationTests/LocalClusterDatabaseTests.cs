using System.Net.Sockets;
using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.State;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// The local cluster's own PostgreSQL as ./build.sh LocalCluster leaves it: run by the postgres OS user from
/// &lt;root&gt;/postgres/data on 127.0.0.1 and the docker_gwbridge gateway, SCRAM logins only from those networks, a
/// master that is not a superuser, whose password is sealed in the store and appears nowhere in managerd.json.
/// </summary>
public sealed class LocalClusterDatabaseTests(ITestOutputHelper output)
{
    private static string PidFile => Path.Combine(TestCluster.Root, "run", "postgres.pid");

    [Fact]
    public async Task PostgreSQL_runs_as_the_postgres_user_on_loopback_and_the_gwbridge_gateway()
    {
        var config = TestDatabase.Config;
        Assert.Equal("127.0.0.1", config.Host);
        Assert.NotNull(config.ServiceHost);
        Assert.StartsWith("172.", config.ServiceHost);
        Assert.Equal(5433, config.Port);
        Assert.Equal("futuswarm_master", config.MasterUser);
        Assert.Equal("Disable", config.SslMode);
        Assert.Matches("^/usr/lib/postgresql/15/bin/pg_dump$", config.PgDump);

        var pid = File.ReadAllText(PidFile).Trim();
        Assert.Equal("/usr/lib/postgresql/15/bin/postgres", new FileInfo($"/proc/{pid}/exe").LinkTarget);
        Assert.Contains(Path.Combine(TestCluster.Root, "postgres", "data"), File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '));
        var uid = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Equal(Native.UserId("postgres")!.Value.ToString(), uid);

        foreach (var host in new[] { "127.0.0.1", config.ServiceHost })
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, config.Port);
            // A login over the gateway address, as a task would make it (the pg_hba line for the gwbridge subnet).
            await using var c = await TestDatabase.OpenAsync(config.MasterUser, await TestDatabase.MasterPasswordAsync(), "postgres", host);
            Assert.Equal(config.MasterUser, await TestDatabase.ScalarAsync(c, "SELECT current_user"));
        }
        Assert.Equal($"127.0.0.1,{config.ServiceHost}", await TestDatabase.SuperuserAsync("SHOW listen_addresses"));

        // Debian's own cluster (/var/lib/postgresql/15/main) is not started.
        foreach (var dir in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
        {
            string cmdline;
            try { cmdline = File.ReadAllText($"/proc/{dir}/cmdline"); } catch (IOException) { continue; }
            Assert.DoesNotContain("/var/lib/postgresql/", cmdline);
        }
    }

    [Fact]
    public async Task Logins_are_SCRAM_from_loopback_and_the_gwbridge_subnet_only()
    {
        var hba = (await TestDatabase.SuperuserAsync("SELECT type || ' ' || array_to_string(database, ',') || ' ' || array_to_string(user_name, ',') || ' ' || " +
            "coalesce(address || '/' || netmask, '-') || ' ' || auth_method FROM pg_hba_file_rules ORDER BY line_number")).Split('\n');
        output.WriteLine(string.Join('\n', hba));
        Assert.Equal(3, hba.Length);
        Assert.Equal("local all postgres - peer", hba[0]);
        Assert.Equal("host all all 127.0.0.1/255.255.255.255 scram-sha-256", hba[1]);
        Assert.Matches("^host all all 172\\.[0-9.]+/255\\.255\\.[0-9.]+ scram-sha-256$", hba[2]);
        Assert.Equal("", await TestDatabase.SuperuserAsync("SELECT error FROM pg_hba_file_rules WHERE error IS NOT NULL"));
        Assert.Equal("scram-sha-256", await TestDatabase.SuperuserAsync("SHOW password_encryption"));
    }

    [Fact]
    public async Task The_master_is_not_a_superuser_and_its_password_is_the_sealed_one()
    {
        var master = TestDatabase.Config.MasterUser;
        Assert.Equal("f|t|t|t", await TestDatabase.SuperuserAsync(
            $"SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = '{master}'"));
        var verifier = await TestDatabase.SuperuserAsync($"SELECT rolpassword FROM pg_authid WHERE rolname = '{master}'");
        Assert.StartsWith("SCRAM-SHA-256$4096:", verifier);
        Assert.True(ScramVerifier.Matches(verifier, await TestDatabase.MasterPasswordAsync()));
        // Nobody but the postgres OS user is a superuser, and that one has no password.
        Assert.Equal("postgres", await TestDatabase.SuperuserAsync("SELECT string_agg(rolname, ',') FROM pg_authid WHERE rolsuper"));
        Assert.Equal("t", await TestDatabase.SuperuserAsync("SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'postgres'"));
    }

    [Fact]
    public async Task Managerd_json_names_the_server_but_holds_no_password()
    {
        var json = File.ReadAllText(Path.Combine(TestCluster.Root, "managerd.json"));
        Assert.Contains("\"database\"", json);
        Assert.DoesNotContain(await TestDatabase.MasterPasswordAsync(), json);
        Assert.DoesNotContain("password", json, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(await ClusterState.Store.ReadAsync(DatabaseCredentialsRepository.MasterKey, CancellationToken.None));
        Assert.DoesNotContain(await TestDatabase.MasterPasswordAsync(), await ClusterState.ReadTextAsync(DatabaseCredentialsRepository.MasterKey));
        // Nor does the server's command line or LocalCluster's log of it.
        var pid = File.ReadAllText(PidFile).Trim();
        Assert.DoesNotContain(await TestDatabase.MasterPasswordAsync(), File.ReadAllText($"/proc/{pid}/cmdline"));
        Assert.DoesNotContain(await TestDatabase.MasterPasswordAsync(), File.ReadAllText(Path.Combine(TestCluster.Root, "logs", "postgres.log")));
    }

    /// <summary>The sealed password is the truth: a role whose password was changed gets it back on the next run, and nothing else changes.</summary>
    [Fact]
    public async Task A_rerun_resets_a_changed_master_password_to_the_sealed_one()
    {
        var pid = File.ReadAllText(PidFile).Trim();
        await TestDatabase.SuperuserAsync($"ALTER ROLE {TestDatabase.Config.MasterUser} PASSWORD '{DatabasePasswords.New()}'");
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => TestDatabase.OpenMasterAsync());

        var result = await BuildScript.RunAsync("LocalCluster");
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("postgres: running", result.Output);
        Assert.Contains("password was not the sealed one", result.Output);
        Assert.DoesNotContain(await TestDatabase.MasterPasswordAsync(), result.Output);
        await using var c = await TestDatabase.OpenMasterAsync();
        Assert.Equal(pid, File.ReadAllText(PidFile).Trim());

        // And a run after that has nothing to do for PostgreSQL.
        var again = await BuildScript.RunAsync("LocalCluster");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.DoesNotContain("password was not", again.Output);
        Assert.DoesNotContain("postgres: created", again.Output);
        Assert.DoesNotContain("postgres: started", again.Output);
    }
}
