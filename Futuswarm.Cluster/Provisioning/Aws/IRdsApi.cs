namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// Exactly the RDS calls the cluster's PostgreSQL needs (Query API 2014-10-31). RdsClient speaks to AWS; a fake
/// cloud implements the same. Describes answer an empty list for what does not exist and follow Marker pages
/// themselves. The master password travels only as a form field over TLS: it is never logged, never in an
/// exception message, and <see cref="RdsPassword"/> prints as ***.
/// </summary>
public interface IRdsApi
{
    /// <summary>The instance with this identifier (zero or one), or every instance when null.</summary>
    Task<IReadOnlyList<RdsDbInstance>> DescribeDbInstancesAsync(string? identifier, CancellationToken ct);
    Task<RdsDbInstance> CreateDbInstanceAsync(RdsDbInstanceSpec spec, CancellationToken ct);
    Task<RdsDbInstance> ModifyDbInstanceAsync(RdsDbInstanceChanges changes, CancellationToken ct);
    /// <summary>Takes a final snapshot named <paramref name="finalSnapshotIdentifier"/>, or none when it is null.</summary>
    Task<RdsDbInstance> DeleteDbInstanceAsync(string identifier, string? finalSnapshotIdentifier, CancellationToken ct);

    /// <summary>The subnet group with this name (zero or one), or every group when null.</summary>
    Task<IReadOnlyList<RdsSubnetGroup>> DescribeDbSubnetGroupsAsync(string? name, CancellationToken ct);
    Task<RdsSubnetGroup> CreateDbSubnetGroupAsync(string name, string description, IReadOnlyList<string> subnetIds, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    /// <summary>Replaces the group's subnets with exactly <paramref name="subnetIds"/> (RDS refuses to drop one an instance uses).</summary>
    Task<RdsSubnetGroup> ModifyDbSubnetGroupAsync(string name, string? description, IReadOnlyList<string> subnetIds, CancellationToken ct);
    Task DeleteDbSubnetGroupAsync(string name, CancellationToken ct);

    Task AddTagsToResourceAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
}

/// <summary>A password that does not show itself: ToString and string interpolation give ***.</summary>
public sealed class RdsPassword(string value)
{
    internal string Value { get; } = value;

    public override string ToString() => "***";
}

/// <param name="AllocatedStorage">GiB.</param>
/// <param name="BackupRetentionPeriod">Days of automated backups, 0 to 35 (0 turns them off).</param>
public sealed record RdsDbInstanceSpec(
    string Identifier,
    string InstanceClass,
    string EngineVersion,
    int AllocatedStorage,
    int BackupRetentionPeriod,
    string SubnetGroupName,
    IReadOnlyList<string> VpcSecurityGroupIds,
    string MasterUsername,
    RdsPassword MasterUserPassword,
    IReadOnlyDictionary<string, string> Tags,
    string Engine = "postgres",
    string StorageType = "gp3",
    bool StorageEncrypted = true,
    string? KmsKeyId = null,
    string? DbName = null,
    bool MultiAz = false,
    bool PubliclyAccessible = false,
    bool DeletionProtection = true);

/// <summary>Only the non-null fields are changed.</summary>
/// <param name="ApplyImmediately">False waits for the maintenance window.</param>
public sealed record RdsDbInstanceChanges(
    string Identifier,
    bool ApplyImmediately,
    string? InstanceClass = null,
    int? AllocatedStorage = null,
    int? BackupRetentionPeriod = null,
    string? EngineVersion = null,
    bool? AllowMajorVersionUpgrade = null,
    IReadOnlyList<string>? VpcSecurityGroupIds = null,
    RdsPassword? MasterUserPassword = null,
    bool? DeletionProtection = null,
    bool? MultiAz = null,
    bool? PubliclyAccessible = null);

/// <param name="Status">creating, available, modifying, backing-up, deleting, ...</param>
/// <param name="PendingModifications">Names of the values waiting to be applied (PendingModifiedValues), e.g. AllocatedStorage.</param>
/// <param name="PendingValues">The same values with their pending text where RDS gives one (DBInstanceClass: db.t4g.large).</param>
public sealed record RdsDbInstance(
    string Identifier,
    string? Arn,
    string InstanceClass,
    string Engine,
    string? EngineVersion,
    string Status,
    string? EndpointAddress,
    int? EndpointPort,
    int? AllocatedStorage,
    bool? StorageEncrypted,
    string? KmsKeyId,
    int? BackupRetentionPeriod,
    string? SubnetGroupName,
    IReadOnlyList<string> VpcSecurityGroupIds,
    string? MasterUsername,
    bool? MultiAz,
    bool? PubliclyAccessible,
    bool? DeletionProtection,
    IReadOnlyList<string> PendingModifications,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, string>? PendingValues = null);

public sealed record RdsSubnetGroup(
    string Name,
    string? Description,
    string? VpcId,
    string? Status,
    string? Arn,
    IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> AvailabilityZones);
