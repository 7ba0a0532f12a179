namespace Futuswarm.Cluster.Databases;

/// <summary>
/// Every statement the daemon sends for a service's database. Catalog look-ups take bind parameters; DDL cannot, so
/// names go through <see cref="PgQuote.Identifier"/> and passwords only as SCRAM verifiers through <see cref="PgQuote.Literal"/>.
/// </summary>
public static class DatabaseSql
{
    // ---- look-ups (parameters: $1 the role names, $2 the database) ----

    /// <summary>rolname, rolcanlogin, rolsuper, rolinherit of the roles in $1 that exist.</summary>
    public const string RolesQuery =
        "SELECT rolname, rolcanlogin, rolsuper, rolinherit FROM pg_catalog.pg_roles WHERE rolname = ANY($1)";

    /// <summary>The owner's name of database $1; no row when there is no such database.</summary>
    public const string DatabaseOwnerQuery =
        "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_catalog.pg_database WHERE datname = $1";

    /// <summary>Whether role $1 is a direct member of role $2 (with any options).</summary>
    public const string IsMemberQuery =
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid " +
        "JOIN pg_catalog.pg_roles u ON u.oid = m.member WHERE g.rolname = $2 AND u.rolname = $1)";

    /// <summary>Whether the session's user has the privileges of role $1 (inherits them), which CREATE DATABASE ... OWNER needs.</summary>
    public const string HasPrivilegesOfQuery = "SELECT pg_catalog.pg_has_role(current_user, $1, 'USAGE')";

    /// <summary>The per-role settings (ALTER ROLE ... SET) of role $1 for all databases.</summary>
    public const string RoleSettingsQuery =
        "SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_roles r ON r.oid = s.setrole " +
        "WHERE r.rolname = $1 AND s.setdatabase = 0";

    public const string DatabaseSizeQuery = "SELECT pg_catalog.pg_database_size($1)";

    /// <summary>In the service's database: the owner of schema public and whether PUBLIC may create in it.</summary>
    public const string PublicSchemaQuery =
        "SELECT pg_catalog.pg_get_userbyid(nspowner), pg_catalog.has_schema_privilege('public', oid, 'CREATE') " +
        "FROM pg_catalog.pg_namespace WHERE nspname = 'public'";

    // ---- roles ----

    public static string CreateOwner(DatabaseNames n) => $"CREATE ROLE {Id(n.Owner)} WITH NOLOGIN";

    /// <summary>Repairs an owner that can log in (made by hand): the owner itself never logs in.</summary>
    public static string MakeNoLogin(string role) => $"ALTER ROLE {Id(role)} WITH NOLOGIN";

    /// <summary>A login role with a password given as a SCRAM verifier, or none (null: it cannot log in with a password).</summary>
    public static string CreateLogin(string role, string? verifier) =>
        $"CREATE ROLE {Id(role)} WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE PASSWORD {Password(verifier)}";

    public static string AlterLogin(string role, string? verifier) =>
        $"ALTER ROLE {Id(role)} WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE PASSWORD {Password(verifier)}";

    public static string SetPassword(string role, string? verifier) => $"ALTER ROLE {Id(role)} WITH PASSWORD {Password(verifier)}";

    public static string Grant(string group, string member) => $"GRANT {Id(group)} TO {Id(member)}";

    public static string GrantToMaster(string group) => $"GRANT {Id(group)} TO CURRENT_USER";

    /// <summary>Sessions of the login start as the owner, so what they create belongs to the owner, not to one login.</summary>
    public static string SetSessionRole(string login, string owner) => $"ALTER ROLE {Id(login)} SET role = {Id(owner)}";

    /// <summary>The value <see cref="RoleSettingsQuery"/> shows for <see cref="SetSessionRole"/>.</summary>
    public static string SessionRoleSetting(string owner) => $"role={owner}";

    public static string DropRoles(IEnumerable<string> roles) => $"DROP ROLE IF EXISTS {string.Join(", ", roles.Select(Id))}";

    // ---- the database ----

    /// <summary>From template0, so nothing added to template1 comes along.</summary>
    public static string CreateDatabase(DatabaseNames n) =>
        $"CREATE DATABASE {Id(n.Database)} WITH OWNER {Id(n.Owner)} TEMPLATE template0 ENCODING 'UTF8'";

    public static string[] LockDatabase(DatabaseNames n) =>
    [
        $"REVOKE CONNECT, TEMPORARY ON DATABASE {Id(n.Database)} FROM PUBLIC",
        $"GRANT CONNECT, TEMPORARY ON DATABASE {Id(n.Database)} TO {Id(n.Owner)}",
    ];

    /// <summary>Run inside the service's database: PostgreSQL 15 already denies PUBLIC CREATE there, older servers do not.</summary>
    public static string[] LockPublicSchema(DatabaseNames n) =>
    [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        $"ALTER SCHEMA public OWNER TO {Id(n.Owner)}",
    ];

    /// <summary>FORCE ends the sessions still connected (the master may: it is made a member of the login roles first).</summary>
    public static string DropDatabase(DatabaseNames n) => $"DROP DATABASE IF EXISTS {Id(n.Database)} WITH (FORCE)";

    private static string Id(string name) => PgQuote.Identifier(name);

    private static string Password(string? verifier)
    {
        if (verifier is null) return "NULL";
        // Only a verifier, never a password: what reaches the server (and its log, should the statement fail) is a hash.
        if (!verifier.StartsWith("SCRAM-SHA-256$", StringComparison.Ordinal))
            throw new ArgumentException("Passwords go to PostgreSQL only as SCRAM verifiers.", nameof(verifier));
        return PgQuote.Literal(verifier);
    }
}
