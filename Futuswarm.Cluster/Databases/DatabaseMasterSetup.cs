using Futuswarm.Protocol;
using Npgsql;

namespace Futuswarm.Cluster.Databases;

/// <summary>What one <see cref="DatabaseMasterSetup.EnsureAsync"/> did; all false on a re-run that found everything in place.</summary>
public sealed record MasterSetupResult(bool PasswordSealed, bool Created, bool AttributesRepaired, bool PasswordReset, bool TemporaryRevoked)
{
    public bool ChangedAnything => PasswordSealed || Created || AttributesRepaired || PasswordReset || TemporaryRevoked;
}

/// <summary>
/// Makes the daemon's master on a server where we are not superuser (RDS): connected as the server's admin (on RDS the
/// instance's master user, which has CREATEDB and CREATEROLE), it ensures the role with <see cref="MasterRoleSql.Attributes"/>,
/// its password sealed in the store first and sent only as a SCRAM verifier, attributes put back when they drifted, and
/// PUBLIC's TEMPORARY on postgres and template1 revoked. Idempotent: the password is checked by logging in, so a healthy
/// re-run changes nothing. Runs once on a manager (futuswarm-managerd ensure-database-master): the admin is reachable
/// from the nodes only.
/// </summary>
public static class DatabaseMasterSetup
{
    public static async Task<MasterSetupResult> EnsureAsync(NpgsqlDataSource admin, DatabaseCredentialsRepository creds, string master,
        Action<string> log, CancellationToken ct)
    {
        var sealedNow = false;
        var password = await creds.LoadMasterPasswordAsync(ct);
        if (password is null)
        {
            // Sealed before the server hears of it: a role whose password is lost is never made.
            password = DatabasePasswords.New();
            await creds.SaveMasterPasswordAsync(password, ct);
            sealedNow = true;
            log($"database: sealed a new password for {master} in the store ({DatabaseCredentialsRepository.MasterKey})");
        }

        await using var c = await Open(admin, "connecting as the admin", ct);
        var flags = await Scalar<string>(c, MasterRoleSql.FlagsQuery("$1"), $"reading role {master}", ct, master);
        bool created = false, repaired = false;
        if (flags is null)
        {
            await Execute(c, MasterRoleSql.Create(master, ScramVerifier.Compute(password)), $"creating role {master}", ct);
            created = true;
            log($"database: created role {master} ({MasterRoleSql.Attributes})");
        }
        else if (flags != MasterRoleSql.WantedFlags)
        {
            var values = flags.Split(',');
            var stuck = MasterRoleSql.SuperuserOnly.Where(a => values.ElementAtOrDefault(a.Key) != "f").Select(a => a.Value).ToList();
            if (stuck.Count > 0)
                throw Failed($"role {master} has {string.Join(", ", stuck)}, which only a superuser can take away (on RDS, AWS support); nothing was changed");
            await Execute(c, MasterRoleSql.RepairAsAdmin(master), $"repairing role {master}", ct);
            repaired = true;
            log($"database: role {master} had other attributes ({flags}); set to {MasterRoleSql.Attributes}");
        }

        var revoked = false;
        if (await Scalar<long>(c, MasterRoleSql.PublicTemporaryQuery, "reading PUBLIC's privileges", ct) > 0)
        {
            await Execute(c, MasterRoleSql.RevokePublicTemporary, "revoking PUBLIC's TEMPORARY", ct);
            // Only the databases' owner can revoke: elsewhere PostgreSQL warns and keeps the grant, which is reported, not fatal.
            revoked = await Scalar<long>(c, MasterRoleSql.PublicTemporaryQuery, "reading PUBLIC's privileges", ct) == 0;
            log(revoked ? "database: PUBLIC may no longer create temporary tables in postgres and template1"
                : "database: warning: PUBLIC keeps TEMPORARY on postgres or template1 (the admin does not own them)");
        }

        var reset = false;
        if (await LoginRefusedAsync(admin, master, password, ct))
        {
            await Execute(c, MasterRoleSql.SetPassword(master, ScramVerifier.Compute(password)), $"setting {master}'s password", ct);
            if (await LoginRefusedAsync(admin, master, password, ct))
                throw Failed($"{master} still cannot log in with its sealed password after it was set (check pg_hba and password_encryption)");
            reset = !created;
            if (reset) log($"database: {master}'s password was not the sealed one; reset to it");
        }
        return new MasterSetupResult(sealedNow, created, repaired, reset, revoked);
    }

    private static async Task<bool> LoginRefusedAsync(NpgsqlDataSource admin, string master, string password, CancellationToken ct)
    {
        var csb = new NpgsqlConnectionStringBuilder(admin.ConnectionString)
        {
            Username = master, Password = password, Database = DatabaseNames.MaintenanceDatabase, Pooling = false,
        };
        await using var c = new NpgsqlConnection(csb.ConnectionString);
        try
        {
            await c.OpenAsync(ct);
            return false;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            return true;
        }
        catch (NpgsqlException e)
        {
            throw Failed($"logging in as {master}: {e.GetType().Name} ({(e as PostgresException)?.SqlState ?? "no SQLSTATE"})");
        }
    }

    private static async Task<NpgsqlConnection> Open(NpgsqlDataSource admin, string what, CancellationToken ct)
    {
        try { return await admin.OpenConnectionAsync(ct); }
        catch (NpgsqlException e) { throw Failed($"{what}: {Describe(e)}"); }
    }

    private static async Task<T?> Scalar<T>(NpgsqlConnection c, string sql, string what, CancellationToken ct, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        try
        {
            var value = await cmd.ExecuteScalarAsync(ct);
            return value is null or DBNull ? default : (T)value;
        }
        catch (NpgsqlException e) { throw Failed($"{what}: {Describe(e)}"); }
    }

    private static async Task Execute(NpgsqlConnection c, string sql, string what, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        try { await cmd.ExecuteNonQueryAsync(ct); }
        // The statement may carry a verifier: only PostgreSQL's own message and SQLSTATE are reported, never the SQL.
        catch (NpgsqlException e) { throw Failed($"{what}: {Describe(e)}"); }
    }

    private static string Describe(NpgsqlException e) =>
        e is PostgresException p ? $"{p.MessageText} (SQLSTATE {p.SqlState})" : e.Message;

    private static FswException Failed(string why) => new(ErrorCodes.DatabaseMasterSetupFailed, $"Setting up the database master failed, {why}.");
}
