using System.Security.Cryptography;
using System.Text;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;
using Npgsql;

namespace Futuswarm.Cluster.Databases;

/// <summary>
/// <see cref="IDatabaseAdmin"/> on PostgreSQL (RDS on AWS, the local cluster's own server) as the master role.
/// The credentials record in the store is the truth: it is written first, and every EnsureAsync brings the roles'
/// passwords back to it, so an interrupted call is finished by the next one. Callers serialize calls per service
/// (the daemon's service lock).
/// </summary>
public sealed class PostgresDatabaseAdmin : IDatabaseAdmin
{
    private readonly PostgresConnector _pg;
    private readonly DatabaseCredentialsRepository _credentials;
    private readonly DatabaseBackups _backups;
    private readonly PgDumpRunner _pgDump;
    private readonly SemaphoreSlim _masterGate = new(1, 1);
    private string? _masterPassword;

    public PostgresDatabaseAdmin(DatabaseConfig config, IStateStore store, EnvelopeCipher cipher, string cluster)
    {
        _credentials = new DatabaseCredentialsRepository(store, cipher, cluster);
        _backups = new DatabaseBackups(store, cipher, cluster);
        _pg = new PostgresConnector(config, MasterPasswordAsync, () => _masterPassword = null);
        _pgDump = new PgDumpRunner(config);
    }

    /// <summary>The daemon's admin for managerd.json's database section; null when the cluster offers no databases.</summary>
    public static PostgresDatabaseAdmin? Create(DaemonConfig config, IStateStore store, EnvelopeCipher cipher) =>
        config.Database is { } db ? new PostgresDatabaseAdmin(db, store, cipher, config.ClusterName) : null;

    public DatabaseBackups Backups => _backups;

    /// <summary>A stored backup's dump (pg_restore custom format), opened with the cluster's keys; null when the key holds nothing.</summary>
    public Task<byte[]?> OpenBackupAsync(string key, CancellationToken ct) => _backups.OpenAsync(key, ct);

    public async Task<DatabaseLogin> EnsureAsync(string service, CancellationToken ct)
    {
        var n = DatabaseNames.For(service);
        DatabaseCredentials creds;
        // The server first: when it does not answer (FSW5010), nothing was written anywhere.
        await using (var c = await _pg.OpenAsync(DatabaseNames.MaintenanceDatabase, ct))
        {
            creds = await _credentials.LoadAsync(service, ct) ?? await NewCredentialsAsync(n, ct);
            await EnsureRolesAsync(c, n, creds, ct);
            await EnsureDatabaseAsync(c, n, ct);
        }
        await using (var c = await _pg.OpenAsync(n.Database, ct))
            await EnsurePublicSchemaAsync(c, n, ct);

        var active = creds.Login(creds.ActiveRole);
        return new DatabaseLogin(n.Database, active.Role, active.Password
            ?? throw new FswException(ErrorCodes.StateCorrupt, $"The credentials of {service} hold no password for its active login role {active.Role}."));
    }

    public async Task<DatabaseLogin> PrepareRotationAsync(string service, CancellationToken ct)
    {
        var n = DatabaseNames.For(service);
        var creds = await _credentials.LoadAsync(service, ct) ?? throw NotFound(service);
        var next = new LoginSecret { Role = n.OtherLogin(creds.ActiveRole), Password = DatabasePasswords.New(), SetAt = DateTimeOffset.UtcNow };
        await using var c = await _pg.OpenAsync(DatabaseNames.MaintenanceDatabase, ct);
        await _credentials.SaveAsync(service, creds.With(next), ct);
        await _pg.ExecuteAsync(c, DatabaseSql.AlterLogin(next.Role, ScramVerifier.Compute(next.Password!)), $"giving {next.Role} a new password", ct);
        return new DatabaseLogin(n.Database, next.Role, next.Password!);
    }

    public async Task CompleteRotationAsync(string service, DatabaseLogin now, CancellationToken ct)
    {
        var n = DatabaseNames.For(service);
        var creds = await _credentials.LoadAsync(service, ct) ?? throw NotFound(service);
        var old = n.OtherLogin(now.Role);
        var stored = creds.Login(now.Role).Password;
        if (stored is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(now.Password)))
            throw new FswException(ErrorCodes.ConcurrentChange,
                $"The login {now.Role} of {service} no longer has the password this rotation prepared (another rotation ran meanwhile). Rotate again.");
        creds = creds.With(new LoginSecret { Role = old }) with { ActiveRole = now.Role };
        await using var c = await _pg.OpenAsync(DatabaseNames.MaintenanceDatabase, ct);
        await _credentials.SaveAsync(service, creds, ct);
        await _pg.ExecuteAsync(c, DatabaseSql.SetPassword(old, null), $"removing the password of {old}", ct);
    }

    public async Task<DatabaseInfo?> InfoAsync(string service, CancellationToken ct)
    {
        var n = DatabaseNames.For(service);
        var creds = await _credentials.LoadAsync(service, ct);
        if (creds is null) return null;
        long size = 0;
        await using (var c = await _pg.OpenAsync(DatabaseNames.MaintenanceDatabase, ct))
        {
            if ((await _pg.QueryAsync(c, DatabaseSql.DatabaseOwnerQuery, $"looking up database {n.Database}", ct, n.Database)).Count > 0)
                size = await _pg.ScalarAsync<long>(c, DatabaseSql.DatabaseSizeQuery, $"measuring database {n.Database}", ct, n.Database);
        }
        return new DatabaseInfo
        {
            Kind = DatabaseNames.Kind, Name = n.Database, Owner = n.Owner, LoginRoles = n.Logins, ActiveRole = creds.ActiveRole,
            SizeBytes = size, PasswordSetAt = creds.Login(creds.ActiveRole).SetAt,
        };
    }

    public async Task<bool> DropAsync(string service, CancellationToken ct)
    {
        var n = DatabaseNames.For(service);
        var creds = await _credentials.LoadAsync(service, ct);
        bool existed;
        await using (var c = await _pg.OpenAsync(DatabaseNames.MaintenanceDatabase, ct))
        {
            var owner = await DatabaseOwnerAsync(c, n, ct);
            var roles = await RolesAsync(c, n, ct);
            existed = creds is not null || owner is not null || roles.Count > 0;
            if (owner is not null)
            {
                RequireOurs(n, owner);
                // The master may end the sessions of roles whose privileges it has: DROP ... WITH (FORCE) needs that.
                foreach (var login in n.Logins.Where(roles.ContainsKey))
                    if (!await _pg.ScalarAsync<bool>(c, DatabaseSql.HasPrivilegesOfQuery, $"checking the master's rights on {login}", ct, login))
                        await _pg.ExecuteAsync(c, DatabaseSql.GrantToMaster(login), $"making the master a member of {login}", ct);
                await DropDatabaseAsync(c, n, ct);
            }
            if (roles.Count > 0) await _pg.ExecuteAsync(c, DatabaseSql.DropRoles(n.Roles), $"dropping the roles of {n.Database}", ct);
        }
        if (creds is not null) await _credentials.DeleteAsync(service, ct); // last: until then a retry still knows the passwords
        return existed;
    }

    /// <summary>
    /// DROP DATABASE ... WITH (FORCE) first checks that it may end every session in the database, and a non-superuser
    /// may not end an autovacuum worker's (no role): PostgreSQL refuses with 42501 while one works on the database,
    /// which on a database just written to is a matter of moments. So a few short retries before giving up.
    /// </summary>
    async Task DropDatabaseAsync(NpgsqlConnection c, DatabaseNames n, CancellationToken ct)
    {
        var what = $"dropping database {n.Database}";
        for (var attempt = 1; ; attempt++)
        {
            await using var cmd = new NpgsqlCommand(DatabaseSql.DropDatabase(n), c);
            try
            {
                await cmd.ExecuteNonQueryAsync(ct);
                return;
            }
            catch (PostgresException e) when (attempt < 8 && e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), ct);
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or IOException)
            {
                throw _pg.Translate(e, what, connecting: false);
            }
        }
    }

    public async Task<BackupInfo> BackupAsync(string service, CancellationToken ct)
    {
        var n = DatabaseNames.For(service);
        var creds = await _credentials.LoadAsync(service, ct) ?? throw NotFound(service);
        var active = creds.Login(creds.ActiveRole);
        if (active.Password is null) throw new FswException(ErrorCodes.StateCorrupt, $"The credentials of {service} hold no password for its active login role {active.Role}.");
        var at = DateTimeOffset.UtcNow;
        var dump = await _pgDump.DumpAsync(new DatabaseLogin(n.Database, active.Role, active.Password), ct);
        try { return await _backups.SaveAsync(service, dump, at, ct); }
        finally { Array.Clear(dump); }
    }

    // ---- the steps of EnsureAsync ----

    private async Task<DatabaseCredentials> NewCredentialsAsync(DatabaseNames n, CancellationToken ct)
    {
        var creds = new DatabaseCredentials
        {
            Database = n.Database, ActiveRole = n.LoginA,
            Logins = [new LoginSecret { Role = n.LoginA, Password = DatabasePasswords.New(), SetAt = DateTimeOffset.UtcNow }, new LoginSecret { Role = n.LoginB }],
        };
        await _credentials.SaveAsync(n.Service, creds, ct); // before the server changes: a password it has is never lost
        return creds;
    }

    private async Task EnsureRolesAsync(NpgsqlConnection c, DatabaseNames n, DatabaseCredentials creds, CancellationToken ct)
    {
        var roles = await RolesAsync(c, n, ct);
        foreach (var (name, role) in roles)
            if (role.Super)
                throw new FswException(ErrorCodes.DatabaseFailed, $"The role {name} exists as a superuser; Futuswarm does not adopt it. An admin renames or drops it.");

        await using var tx = await c.BeginTransactionAsync(ct);
        if (!roles.TryGetValue(n.Owner, out var owner))
            await _pg.ExecuteAsync(c, DatabaseSql.CreateOwner(n), $"creating role {n.Owner}", ct, tx);
        else if (owner.CanLogin)
            await _pg.ExecuteAsync(c, DatabaseSql.MakeNoLogin(n.Owner), $"making {n.Owner} NOLOGIN", ct, tx);
        // CREATE DATABASE ... OWNER, ALTER SCHEMA ... OWNER and DROP DATABASE need the owner's privileges.
        if (!await _pg.ScalarAsync<bool>(c, DatabaseSql.HasPrivilegesOfQuery, $"checking the master's rights on {n.Owner}", ct, n.Owner))
            await _pg.ExecuteAsync(c, DatabaseSql.GrantToMaster(n.Owner), $"making the master a member of {n.Owner}", ct, tx);

        foreach (var login in creds.Logins)
        {
            var verifier = login.Password is null ? null : ScramVerifier.Compute(login.Password);
            var sql = roles.ContainsKey(login.Role) ? DatabaseSql.AlterLogin(login.Role, verifier) : DatabaseSql.CreateLogin(login.Role, verifier);
            await _pg.ExecuteAsync(c, sql, $"setting up login role {login.Role}", ct, tx);
            if (!await _pg.ScalarAsync<bool>(c, DatabaseSql.IsMemberQuery, $"checking {login.Role}'s membership", ct, login.Role, n.Owner))
                await _pg.ExecuteAsync(c, DatabaseSql.Grant(n.Owner, login.Role), $"making {login.Role} a member of {n.Owner}", ct, tx);
            var settings = await _pg.QueryAsync(c, DatabaseSql.RoleSettingsQuery, $"reading {login.Role}'s settings", ct, login.Role);
            if (!settings.Any(r => r[0] is string[] s && s.Contains(DatabaseSql.SessionRoleSetting(n.Owner))))
                await _pg.ExecuteAsync(c, DatabaseSql.SetSessionRole(login.Role, n.Owner), $"making {login.Role} act as {n.Owner}", ct, tx);
        }
        await tx.CommitAsync(ct);
    }

    private async Task EnsureDatabaseAsync(NpgsqlConnection c, DatabaseNames n, CancellationToken ct)
    {
        var owner = await DatabaseOwnerAsync(c, n, ct);
        if (owner is null)
            await _pg.ExecuteAsync(c, DatabaseSql.CreateDatabase(n), $"creating database {n.Database}", ct); // not in a transaction: PostgreSQL refuses that
        else RequireOurs(n, owner);
        foreach (var sql in DatabaseSql.LockDatabase(n))
            await _pg.ExecuteAsync(c, sql, $"limiting access to database {n.Database}", ct);
    }

    private async Task EnsurePublicSchemaAsync(NpgsqlConnection c, DatabaseNames n, CancellationToken ct)
    {
        var rows = await _pg.QueryAsync(c, DatabaseSql.PublicSchemaQuery, $"looking at schema public of {n.Database}", ct);
        if (rows is [[string schemaOwner, bool publicMayCreate]] && schemaOwner == n.Owner && !publicMayCreate) return;
        if (rows.Count == 0) return; // dropped by the service itself: nothing to lock
        foreach (var sql in DatabaseSql.LockPublicSchema(n))
            await _pg.ExecuteAsync(c, sql, $"limiting schema public of {n.Database}", ct);
    }

    private sealed record RoleState(bool CanLogin, bool Super);

    private async Task<Dictionary<string, RoleState>> RolesAsync(NpgsqlConnection c, DatabaseNames n, CancellationToken ct) =>
        (await _pg.QueryAsync(c, DatabaseSql.RolesQuery, $"looking up the roles of {n.Database}", ct, (object)n.Roles.ToArray()))
            .ToDictionary(r => (string)r[0]!, r => new RoleState((bool)r[1]!, (bool)r[2]!), StringComparer.Ordinal);

    private async Task<string?> DatabaseOwnerAsync(NpgsqlConnection c, DatabaseNames n, CancellationToken ct) =>
        (await _pg.QueryAsync(c, DatabaseSql.DatabaseOwnerQuery, $"looking up database {n.Database}", ct, n.Database)) is [[string owner]] ? owner : null;

    private static void RequireOurs(DatabaseNames n, string owner)
    {
        if (owner != n.Owner)
            throw new FswException(ErrorCodes.DatabaseFailed,
                $"The database {n.Database} exists and belongs to {owner}, not to {n.Owner}: Futuswarm did not make it and does not adopt or drop it. An admin renames it or picks another service name.");
    }

    private async Task<string?> MasterPasswordAsync(CancellationToken ct)
    {
        if (_masterPassword is { } known) return known;
        await _masterGate.WaitAsync(ct);
        try { return _masterPassword ??= await _credentials.LoadMasterPasswordAsync(ct); }
        finally { _masterGate.Release(); }
    }

    private static FswException NotFound(string service) =>
        new(ErrorCodes.DatabaseNotFound, $"Service {service} has no database. Add <SwarmDatabase>postgres</SwarmDatabase> to its project and deploy.");
}
