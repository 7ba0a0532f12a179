using System.Text.RegularExpressions;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>
/// What the cluster's RDS PostgreSQL needs: its identifier and subnet group name (<see cref="ClusterNames"/>), the
/// zones whose subnets the group spans, and the definition's database settings. The instance's KMS key, security
/// group and subnets are not here: they are the state and network layers' resources, found in the run's context.
/// </summary>
/// <param name="AllowMajorVersionUpgrade">The explicit opt-in to a new major version (an outage, extensions may not follow).</param>
/// <param name="AdminUser">RDS's master user: only the manager's one-time set-up of the service master logs in as it.</param>
public sealed record DatabaseSpec(
    string Cluster, string Identifier, string SubnetGroupName, IReadOnlyList<string> Zones,
    string EngineVersion, string InstanceClass, int AllocatedStorageGb, int BackupRetentionDays, bool MultiAz,
    bool AllowMajorVersionUpgrade = false, string AdminUser = DatabaseSpec.DefaultAdminUser)
{
    public const string Engine = "postgres";
    public const string DefaultAdminUser = "futuswarm_admin";
    public const string StorageType = "gp3";

    /// <summary>gp3's bounds for PostgreSQL on RDS, in GiB.</summary>
    public const int MinStorageGb = 20, MaxStorageGb = 65536;

    /// <summary>How long creation and deletion may take: ~10 minutes on AWS, longer for Multi-AZ; tests use WaitOptions.Immediate.</summary>
    public WaitOptions InstanceWaits { get; init; } = DatabaseWaits.Rds;

    /// <summary>The clock that names the final snapshot.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>The database layer's input from a loaded definition and the network it lives in.</summary>
    public static DatabaseSpec Of(ClusterDefinition d, NetworkSpec network)
    {
        var names = new ClusterNames(d.Name);
        if (d.Database.Engine != Engine)
            throw new FswException(ErrorCodes.ProvisionSpecInvalid, $"The cluster's database.engine '{d.Database.Engine}': only '{Engine}' is provisioned.");
        return new DatabaseSpec(d.Name, names.DatabaseInstance, names.DatabaseSubnetGroup, network.Zones, d.Database.EngineVersion,
            d.Database.InstanceClass, d.Database.AllocatedStorageGb, d.Database.BackupRetentionDays, d.Database.MultiAz);
    }

    private static readonly Regex UserName = new("^[a-z][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant);

    /// <summary>Names RDS or the cluster already uses: the admin must be none of them.</summary>
    public static readonly IReadOnlySet<string> ReservedUsers = new HashSet<string>(StringComparer.Ordinal)
        { "postgres", "rdsadmin", "rdsrepladmin", "rds_superuser", Databases.DatabaseNames.DefaultMasterUser };

    public DatabaseSpec Validate()
    {
        if (Zones.Count < 2) Fail("zones", "RDS needs a subnet group in two or more zones");
        if (!PostgresVersion.TryParse(EngineVersion, out _)) Fail("database.engineVersion", $"'{EngineVersion}' is not a PostgreSQL version such as 16.4");
        if (!InstanceClass.StartsWith("db.", StringComparison.Ordinal)) Fail("database.instanceClass", $"'{InstanceClass}' is not an RDS class such as db.t4g.medium");
        if (AllocatedStorageGb is < MinStorageGb or > MaxStorageGb) Fail("database.allocatedStorageGb", $"{AllocatedStorageGb} is outside gp3's {MinStorageGb}-{MaxStorageGb} GiB");
        if (BackupRetentionDays is < 1 or > 35) Fail("database.backupRetentionDays", $"{BackupRetentionDays} is outside 1-35 days");
        if (!UserName.IsMatch(AdminUser) || ReservedUsers.Contains(AdminUser))
            Fail("database admin user", $"'{AdminUser}' must be 1-63 lowercase letters, digits and '_', start with a letter, and not be one of {string.Join(", ", ReservedUsers)}");
        return this;
    }

    private static void Fail(string field, string why) =>
        throw new FswException(ErrorCodes.ProvisionSpecInvalid, $"The cluster's {field}: {why}.");
}

/// <summary>Bounds for waiting on an RDS instance: creation takes ~10 minutes, Multi-AZ and deletion with a snapshot longer.</summary>
public static class DatabaseWaits
{
    public static WaitOptions Rds { get; } = new(TimeSpan.FromMinutes(60), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), 240);
}

/// <summary>The addresses of the database layer's resources.</summary>
public static class DatabaseAddresses
{
    public static readonly ResourceAddress SubnetGroup = new("db-subnet-group");
    public static readonly ResourceAddress Instance = new("db-instance");
}

/// <summary>
/// The cluster's database resources in dependency order: the subnet group over the network's subnets, then the
/// PostgreSQL instance in it. Destroy runs in reverse: the instance (final snapshot kept), then the group.
/// </summary>
public static class DatabaseLayer
{
    public static Reconciler For(IRdsApi rds, DatabaseSpec spec, IDatabaseAdminSecrets secrets)
    {
        spec.Validate();
        return new Reconciler([new DatabaseSubnetGroupKind(rds, spec), new DatabaseInstanceKind(rds, spec, secrets)]);
    }
}
