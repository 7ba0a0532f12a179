namespace Futuswarm.Cluster.Databases;

/// <summary>
/// The statements that make the service master as RDS makes its own admin: it logs in, creates databases and roles,
/// and is not a superuser. Shared by the manager's set-up on RDS (<see cref="DatabaseMasterSetup"/>) and LocalCluster's
/// (LocalPostgres.EnsureMasterAsync), so both clusters get the same role. Passwords only as SCRAM verifiers.
/// </summary>
public static class MasterRoleSql
{
    public const string Attributes = "LOGIN NOSUPERUSER CREATEDB CREATEROLE INHERIT NOREPLICATION NOBYPASSRLS";

    /// <summary>The role's flags in <see cref="Attributes"/>' order, as PostgreSQL prints booleans (t, f).</summary>
    public static string FlagsQuery(string roleNameLiteral) =>
        "SELECT concat_ws(',', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit, rolreplication, rolbypassrls) "
        + $"FROM pg_roles WHERE rolname = {roleNameLiteral}";

    /// <summary>What <see cref="FlagsQuery"/> gives for a role with exactly <see cref="Attributes"/>.</summary>
    public const string WantedFlags = "t,f,t,t,t,f,f";

    public static string Create(string role, string verifier) =>
        $"CREATE ROLE {PgQuote.Identifier(role)} WITH {Attributes} PASSWORD {PgQuote.Literal(verifier)}";

    /// <summary>The repair as a superuser (LocalCluster): every attribute.</summary>
    public static string Repair(string role) => $"ALTER ROLE {PgQuote.Identifier(role)} WITH {Attributes}";

    /// <summary>
    /// The repair as a non-superuser admin (RDS): PostgreSQL lets only a superuser name SUPERUSER, REPLICATION or
    /// BYPASSRLS in ALTER ROLE, even to say NO, so only the other attributes are set.
    /// </summary>
    public static string RepairAsAdmin(string role) => $"ALTER ROLE {PgQuote.Identifier(role)} WITH LOGIN CREATEDB CREATEROLE INHERIT";

    /// <summary>Positions in <see cref="FlagsQuery"/>'s answer of the attributes only a superuser can take away.</summary>
    public static readonly IReadOnlyDictionary<int, string> SuperuserOnly = new Dictionary<int, string> { [1] = "SUPERUSER", [5] = "REPLICATION", [6] = "BYPASSRLS" };

    public static string SetPassword(string role, string verifier) => $"ALTER ROLE {PgQuote.Identifier(role)} WITH PASSWORD {PgQuote.Literal(verifier)}";

    /// <summary>
    /// PUBLIC may connect to postgres and template1 (tools list databases there), but not keep temporary tables in
    /// them: a service's login creates objects in its own database only. Counts the two that still allow it.
    /// </summary>
    public const string PublicTemporaryQuery =
        "SELECT count(*) FROM pg_database WHERE datname IN ('postgres', 'template1') AND has_database_privilege('public', datname, 'TEMPORARY')";

    public const string RevokePublicTemporary = "REVOKE TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC";
}
