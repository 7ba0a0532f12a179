using Futuswarm.Cluster.Databases;

namespace Futuswarm.Tests;

/// <summary>
/// The service master's SQL, shared by LocalCluster (through psql) and the managers on RDS: the text is exactly what
/// LocalPostgres sent before it was shared, so the local cluster's behaviour did not change.
/// </summary>
public class MasterRoleSqlTests
{
    [Fact]
    public void TheStatementsAreTheOnesLocalPostgresSent()
    {
        Assert.Equal("SELECT concat_ws(',', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit, rolreplication, rolbypassrls) "
            + "FROM pg_roles WHERE rolname = 'futuswarm_master'", MasterRoleSql.FlagsQuery(PgQuote.Literal("futuswarm_master")));
        Assert.Equal("CREATE ROLE \"futuswarm_master\" WITH LOGIN NOSUPERUSER CREATEDB CREATEROLE INHERIT NOREPLICATION NOBYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a:b'",
            MasterRoleSql.Create("futuswarm_master", "SCRAM-SHA-256$4096:c2FsdA==$a:b"));
        Assert.Equal("ALTER ROLE \"futuswarm_master\" WITH LOGIN NOSUPERUSER CREATEDB CREATEROLE INHERIT NOREPLICATION NOBYPASSRLS", MasterRoleSql.Repair("futuswarm_master"));
        Assert.Equal("ALTER ROLE \"futuswarm_master\" WITH PASSWORD 'v'", MasterRoleSql.SetPassword("futuswarm_master", "v"));
        Assert.Equal("SELECT count(*) FROM pg_database WHERE datname IN ('postgres', 'template1') AND has_database_privilege('public', datname, 'TEMPORARY')",
            MasterRoleSql.PublicTemporaryQuery);
        Assert.Equal("REVOKE TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC", MasterRoleSql.RevokePublicTemporary);
        Assert.Equal("t,f,t,t,t,f,f", MasterRoleSql.WantedFlags);
        // A non-superuser may not even say NOSUPERUSER in ALTER ROLE (PostgreSQL 15: SQLSTATE 42501).
        Assert.Equal("ALTER ROLE \"futuswarm_master\" WITH LOGIN CREATEDB CREATEROLE INHERIT", MasterRoleSql.RepairAsAdmin("futuswarm_master"));
    }

    [Fact]
    public void AHostileRoleNameStaysOneIdentifier()
    {
        Assert.Equal("ALTER ROLE \"a\"\"; DROP ROLE x; --\" WITH PASSWORD 'it''s'", MasterRoleSql.SetPassword("a\"; DROP ROLE x; --", "it's"));
        Assert.EndsWith("WHERE rolname = $1", MasterRoleSql.FlagsQuery("$1"));
    }
}
