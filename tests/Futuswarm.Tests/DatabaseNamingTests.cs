using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Databases;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>How names and passwords enter PostgreSQL's SQL text (no server needed): quoting, role naming, SCRAM verifiers.</summary>
public class DatabaseNamingTests
{
    // ---- identifiers ----

    [Theory]
    [InlineData("app", "\"app\"")]
    [InlineData("hello-swarm", "\"hello-swarm\"")]
    [InlineData("user", "\"user\"")]
    [InlineData("select", "\"select\"")]
    [InlineData("Upper", "\"Upper\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("x\"; DROP DATABASE postgres; --", "\"x\"\"; DROP DATABASE postgres; --\"")]
    [InlineData("a'b", "\"a'b\"")]
    [InlineData("a\\b", "\"a\\b\"")]
    [InlineData("ünïcødé", "\"ünïcødé\"")]
    [InlineData("a b\tc\nd", "\"a b\tc\nd\"")]
    public void Identifiers_are_double_quoted_with_inner_quotes_doubled(string name, string expected) =>
        Assert.Equal(expected, PgQuote.Identifier(name));

    [Fact]
    public void An_identifier_of_63_bytes_is_kept_and_64_refused_rather_than_truncated_by_the_server()
    {
        Assert.Equal("\"" + new string('a', 63) + "\"", PgQuote.Identifier(new string('a', 63)));
        Assert.Throws<ArgumentException>(() => PgQuote.Identifier(new string('a', 64)));
        // Bytes, not characters: 32 two-byte letters are 64 bytes.
        Assert.Throws<ArgumentException>(() => PgQuote.Identifier(new string('ü', 32)));
        Assert.Equal(34, PgQuote.Identifier(new string('ü', 31) + "a").Length); // 63 bytes, 32 characters and two quotes
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Identifiers_that_cannot_be_sent_as_they_are_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => PgQuote.Identifier(name));

    [Fact]
    public void Lone_surrogates_are_refused_since_they_would_reach_the_server_as_another_name()
    {
        // Built here: xunit would turn them into U+FFFD on the way from an attribute.
        foreach (var s in new[] { "a" + (char)0xD800 + "b", ((char)0xDC00).ToString(), "x" + (char)0xDBFF })
        {
            Assert.Throws<ArgumentException>(() => PgQuote.Identifier(s));
            Assert.Throws<ArgumentException>(() => PgQuote.Literal(s));
        }
        Assert.Equal("\"a\ud83d\ude00\"", PgQuote.Identifier("a\ud83d\ude00")); // a proper pair (an emoji) is fine
    }

    // ---- literals ----

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("", "''")]
    [InlineData("it's", "'it''s'")]
    [InlineData("'; DROP ROLE futuswarm_master; --", "'''; DROP ROLE futuswarm_master; --'")]
    [InlineData("a\\b", "E'a\\\\b'")] // whatever standard_conforming_strings says
    [InlineData("\\'; SELECT 1; --", "E'\\\\''; SELECT 1; --'")]
    [InlineData("$$ dollar $$", "'$$ dollar $$'")]
    [InlineData("ünï\"cødé", "'ünï\"cødé'")]
    [InlineData("SCRAM-SHA-256$4096:AAEC$zH+/:dd5=", "'SCRAM-SHA-256$4096:AAEC$zH+/:dd5='")]
    public void Literals_double_quotes_and_escape_backslashes_in_an_E_string(string value, string expected) =>
        Assert.Equal(expected, PgQuote.Literal(value));

    [Fact]
    public void A_literal_with_NUL_is_refused_since_no_PostgreSQL_text_holds_one() =>
        Assert.Throws<ArgumentException>(() => PgQuote.Literal("a\0b"));

    // ---- role naming ----

    [Fact]
    public void A_service_gets_its_database_an_owner_and_two_login_roles()
    {
        var n = DatabaseNames.For("hello-swarm");
        Assert.Equal("hello-swarm", n.Database);
        Assert.Equal("hello-swarm_owner", n.Owner);
        Assert.Equal(["hello-swarm_a", "hello-swarm_b"], n.Logins);
        Assert.Equal(["hello-swarm_owner", "hello-swarm_a", "hello-swarm_b"], n.Roles);
        Assert.Equal("hello-swarm_b", n.OtherLogin("hello-swarm_a"));
        Assert.Equal("hello-swarm_a", n.OtherLogin("hello-swarm_b"));
        Assert.Throws<ArgumentException>(() => n.OtherLogin("hello-swarm_owner"));
        Assert.Throws<ArgumentException>(() => n.OtherLogin("other_a"));
    }

    [Fact]
    public void The_longest_service_name_fits_PostgreSQL_identifiers()
    {
        var n = DatabaseNames.For(new string('a', Validation.MaxServiceNameLength));
        Assert.All(n.Roles.Append(n.Database), r => Assert.True(r.Length <= PgQuote.MaxIdentifierBytes));
        Assert.Equal(46, n.Owner.Length);
    }

    [Fact]
    public void Names_of_two_services_never_meet_because_service_names_have_no_underscore()
    {
        var services = new[] { "a", "a-a", "a-b", "a-owner", "owner", "b", "a-a-owner" };
        var all = services.SelectMany(s => DatabaseNames.For(s).Roles).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(DatabaseNames.DefaultMasterUser, all);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a'b")]
    [InlineData("a;drop")]
    [InlineData("a\"b")]
    [InlineData("ünï")]
    [InlineData("Upper")]
    [InlineData("my_app")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd")] // 64
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijk")] // 41
    [InlineData("futuswarm-db")]
    [InlineData("postgres")]
    [InlineData("template0")]
    [InlineData("template1")]
    [InlineData("rdsadmin")]
    public void Names_that_are_not_service_names_or_belong_to_PostgreSQL_are_FSW2001(string service)
    {
        var e = Assert.Throws<FswException>(() => DatabaseNames.For(service));
        Assert.Equal(ErrorCodes.InvalidServiceName, e.Code);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("select")]
    [InlineData("public")]
    [InlineData("table")]
    [InlineData("pg-x")]
    public void Reserved_SQL_words_are_valid_names_and_only_ever_quoted(string service)
    {
        var n = DatabaseNames.For(service);
        Assert.Equal($"CREATE DATABASE \"{service}\" WITH OWNER \"{service}_owner\" TEMPLATE template0 ENCODING 'UTF8'", DatabaseSql.CreateDatabase(n));
        Assert.Equal($"ALTER ROLE \"{service}_a\" SET role = \"{service}_owner\"", DatabaseSql.SetSessionRole(n.LoginA, n.Owner));
        Assert.Equal($"DROP ROLE IF EXISTS \"{service}_owner\", \"{service}_a\", \"{service}_b\"", DatabaseSql.DropRoles(n.Roles));
    }

    // ---- passwords ----

    [Fact]
    public void Passwords_reach_SQL_only_as_SCRAM_verifiers()
    {
        Assert.Throws<ArgumentException>(() => DatabaseSql.CreateLogin("x_a", "plain-password"));
        Assert.Throws<ArgumentException>(() => DatabaseSql.SetPassword("x_a", "md5abc"));
        Assert.Equal("ALTER ROLE \"x_a\" WITH PASSWORD NULL", DatabaseSql.SetPassword("x_a", null));
        var verifier = ScramVerifier.Compute("secret");
        Assert.Equal($"ALTER ROLE \"x_a\" WITH PASSWORD '{verifier}'", DatabaseSql.SetPassword("x_a", verifier));
        Assert.DoesNotContain("secret", DatabaseSql.CreateLogin("x_a", verifier));
    }

    [Fact]
    public void The_SCRAM_verifier_is_PostgreSQLs_format_for_a_known_salt()
    {
        // Computed independently (Python hashlib: PBKDF2-HMAC-SHA256, HMAC "Client Key"/"Server Key", SHA-256).
        var salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        Assert.Equal("SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$zHCdol2044/ZyWzPLi7oxApCkamKw9Z+E4U/QApd/5Y=:dd5peBOitVnLNFu7VmwP+HiDaaw4OUCv396eVCWhYiE=",
            ScramVerifier.Compute("pencil", salt, 4096));
    }

    [Fact]
    public void A_verifier_has_a_fresh_salt_and_matches_only_its_password()
    {
        var a = ScramVerifier.Compute("pencil");
        var b = ScramVerifier.Compute("pencil");
        Assert.NotEqual(a, b);
        Assert.Matches("^SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$", a);
        Assert.True(ScramVerifier.Matches(a, "pencil"));
        Assert.True(ScramVerifier.Matches(b, "pencil"));
        Assert.False(ScramVerifier.Matches(a, "pencil2"));
        Assert.False(ScramVerifier.Matches("md5abcdef", "pencil"));
        Assert.False(ScramVerifier.Matches("SCRAM-SHA-256$x:y$z", "pencil"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("ünï")]
    [InlineData("tab\t")]
    public void Passwords_SCRAM_would_need_SASLprep_for_are_refused(string password) =>
        Assert.Throws<ArgumentException>(() => ScramVerifier.Compute(password));

    [Fact]
    public void Generated_passwords_are_43_plain_characters_and_differ()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => DatabasePasswords.New()).ToList();
        Assert.All(passwords, p => Assert.Matches("^[A-Za-z0-9_-]{43}$", p));
        Assert.Equal(50, passwords.Distinct().Count());
    }

    [Fact]
    public void Credentials_and_logins_never_print_a_password()
    {
        var login = new DatabaseLogin("db", "db_a", "hunter2-secret");
        Assert.DoesNotContain("hunter2", login.ToString());
        var creds = new DatabaseCredentials { Database = "db", ActiveRole = "db_a", Logins = [new LoginSecret { Role = "db_a", Password = "hunter2-secret" }, new LoginSecret { Role = "db_b" }] };
        Assert.DoesNotContain("hunter2", creds.ToString());
        Assert.DoesNotContain("hunter2", creds.Logins[0].ToString());
    }

    // ---- backups and settings ----

    [Fact]
    public void Backup_keys_carry_the_UTC_time_and_the_service()
    {
        var at = new DateTimeOffset(2026, 11, 25, 23, 4, 5, TimeSpan.FromHours(2));
        Assert.Equal("backups/20261125T210405Z/databases/hello-swarm.dump", DatabaseBackups.KeyOf("hello-swarm", at));
        Assert.Equal("hello-swarm", DatabaseBackups.ServiceOf("backups/20261125T210405Z/databases/hello-swarm.dump"));
        Assert.Null(DatabaseBackups.ServiceOf("backups/20261125T210405Z/databases/../acl.json"));
        Assert.Null(DatabaseBackups.ServiceOf("databases/hello-swarm.json"));
    }

    [Theory]
    [InlineData("Disable", "disable")]
    [InlineData("Require", "require")]
    [InlineData("VerifyFull", "verify-full")]
    [InlineData("VerifyCA", "verify-ca")]
    public void The_SSL_mode_means_the_same_to_pg_dump(string npgsql, string libpq) =>
        Assert.Equal(libpq, PgDumpRunner.LibpqSslMode(npgsql));

    [Fact]
    public void An_unknown_SSL_mode_is_a_configuration_error()
    {
        var config = new DatabaseConfig { Host = "127.0.0.1", MasterUser = "m", SslMode = "Sometimes" };
        Assert.Equal(ErrorCodes.StoreConfigInvalid, Assert.Throws<FswException>(() => PostgresConnector.Builder(config, "m", "postgres")).Code);
    }
}
