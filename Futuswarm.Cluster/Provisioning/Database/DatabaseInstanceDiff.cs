using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Cluster.Provisioning.State;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>The RDS instance as observed, with the admin login sealed for it (null: none in the store).</summary>
public sealed record ObservedDatabase(RdsDbInstance Instance, DatabaseAdminSecret? Secret);

/// <summary>
/// The instance's field-by-field diff, pure. A value RDS holds as pending (PendingModifiedValues) counts as set: a class
/// change waiting for the maintenance window is not planned again. What RDS cannot change in place, or only one way
/// (storage grows, versions go up), is refused with a coded error before anything is changed.
/// </summary>
public static class DatabaseInstanceDiff
{
    public const string Class = "instance_class", Storage = "allocated_storage_gb", Backup = "backup_retention_days",
        VersionField = "engine_version", SecurityGroups = "security_group", DeletionProtection = "deletion_protection",
        MultiAz = "multi_az", Public = "publicly_accessible", Password = "admin_password";

    /// <summary>Fields that restart the database: sent with ApplyImmediately=false, so they wait for the maintenance window.</summary>
    public static readonly IReadOnlySet<string> InMaintenanceWindow = new HashSet<string> { Class, VersionField };

    public const string PasswordSealedFirst = "generated, sealed in the cluster's store before it is sent (not shown)";

    public static Change Create(ResourceAddress address, DatabaseSpec spec, DatabaseAdminSecret? secret, ProvisionContext ctx) =>
        new(address, ChangeAction.Create, "not found", [
            FieldChange.Set("identifier", spec.Identifier),
            FieldChange.Set("engine", $"{DatabaseSpec.Engine} {spec.EngineVersion}"),
            FieldChange.Set(Class, spec.InstanceClass),
            FieldChange.Set(Storage, $"{spec.AllocatedStorageGb} ({DatabaseSpec.StorageType})"),
            FieldChange.Set("storage_encrypted", $"kms-key {ctx.IdOrPlaceholder(StateAddresses.KmsKey)}"),
            FieldChange.Set(Backup, spec.BackupRetentionDays.ToString()),
            FieldChange.Set(MultiAz, Bool(spec.MultiAz)),
            FieldChange.Set(Public, "false"),
            FieldChange.Set(DeletionProtection, "true"),
            FieldChange.Set(SecurityGroups, $"{SecurityRules.Database} {ctx.IdOrPlaceholder(SecurityRules.Database)}".TrimEnd()),
            FieldChange.Set("subnet_group", spec.SubnetGroupName),
            FieldChange.Set("admin_user", spec.AdminUser),
            FieldChange.Set(Password, Usable(secret, spec) ? "sealed in the cluster's store by an earlier run (not shown)" : PasswordSealedFirst),
        ]);

    public static IReadOnlyList<Change> Update(ResourceAddress address, DatabaseSpec spec, ObservedDatabase observed, ProvisionContext ctx)
    {
        var db = observed.Instance;
        Fixed(spec, db, ctx);
        var fields = new List<FieldChange>();
        var reason = "drifted";

        var cls = Effective(db, "DBInstanceClass", db.InstanceClass);
        if (cls != spec.InstanceClass) fields.Add(new FieldChange(Class, cls, spec.InstanceClass));

        var storage = int.TryParse(Effective(db, "AllocatedStorage", db.AllocatedStorage?.ToString()), out var gb) ? gb : 0;
        if (spec.AllocatedStorageGb < storage)
            throw new FswException(ErrorCodes.DatabaseStorageShrinkRefused,
                $"The database {db.Identifier} has {storage} GiB; the definition asks for {spec.AllocatedStorageGb} GiB, and RDS storage only grows. Nothing was changed.");
        if (spec.AllocatedStorageGb > storage) fields.Add(new FieldChange(Storage, storage.ToString(), spec.AllocatedStorageGb.ToString()));

        var backup = Effective(db, "BackupRetentionPeriod", db.BackupRetentionPeriod?.ToString());
        if (backup != spec.BackupRetentionDays.ToString()) fields.Add(new FieldChange(Backup, backup, spec.BackupRetentionDays.ToString()));

        var version = Effective(db, "EngineVersion", db.EngineVersion);
        var (versionChanges, why) = VersionChange(db.Identifier, version, spec);
        if (versionChanges) fields.Add(new FieldChange(VersionField, version, spec.EngineVersion));
        if (why is not null) reason = why;

        var sg = ctx.IdOrPlaceholder(SecurityRules.Database);
        if (db.VpcSecurityGroupIds.Count != 1 || db.VpcSecurityGroupIds[0] != sg)
        {
            foreach (var id in db.VpcSecurityGroupIds.Where(id => id != sg)) fields.Add(FieldChange.Remove(SecurityGroups, Named(id, ctx)));
            if (!db.VpcSecurityGroupIds.Contains(sg)) fields.Add(FieldChange.Add(SecurityGroups, $"{SecurityRules.Database} {sg}"));
        }
        if (db.DeletionProtection != true) fields.Add(new FieldChange(DeletionProtection, Bool(db.DeletionProtection), "true"));
        var multiAz = Effective(db, "MultiAZ", Bool(db.MultiAz));
        if (multiAz != Bool(spec.MultiAz)) fields.Add(new FieldChange(MultiAz, multiAz, Bool(spec.MultiAz)));
        if (db.PubliclyAccessible != false) fields.Add(new FieldChange(Public, Bool(db.PubliclyAccessible), "false"));
        if (!Usable(observed.Secret, spec) || !observed.Secret!.Applied)
            fields.Add(new FieldChange(Password,
                observed.Secret is null || !Usable(observed.Secret, spec) ? "not in the cluster's store" : "sealed, not yet confirmed set on RDS",
                observed.Secret is { Applied: false } s && Usable(s, spec) ? "the sealed one, set again (not shown)" : PasswordSealedFirst));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), db.Tags));

        if (fields.Count == 0) return [];
        var waiting = fields.Where(f => InMaintenanceWindow.Contains(f.Field)).Select(f => f.Field).Distinct().ToList();
        if (waiting.Count > 0) reason += $"; {string.Join(" and ", waiting)} wait for the maintenance window (they restart the database)";
        return [new Change(address, ChangeAction.Update, reason, fields)];
    }

    /// <summary>The sealed login is for this instance and its admin user.</summary>
    public static bool Usable(DatabaseAdminSecret? secret, DatabaseSpec spec) =>
        secret is not null && secret.Identifier == spec.Identifier && secret.User == spec.AdminUser;

    /// <summary>
    /// Whether the version changes (a definition's "16" is met by RDS's 16.4), and the plan's reason for an allowed major
    /// upgrade; a downgrade or an unrequested major upgrade is refused.
    /// </summary>
    private static (bool Change, string? Reason) VersionChange(string identifier, string? observed, DatabaseSpec spec)
    {
        if (!PostgresVersion.TryParse(spec.EngineVersion, out var want)) return (false, null);
        if (!PostgresVersion.TryParse(observed, out var have)) return (observed != spec.EngineVersion, null);
        if (want.IsMetBy(have)) return (false, null);
        if (want.CompareTo(want.AsPreciseAs(have)) < 0)
            throw new FswException(ErrorCodes.DatabaseEngineDowngradeRefused,
                $"The database {identifier} runs PostgreSQL {have}; the definition asks for {want}, and RDS cannot downgrade "
                + $"(its automatic minor upgrades may have moved it forward). Set the engine version to {have} or later. Nothing was changed.");
        if (want.Major == have.Major) return (true, null);
        if (!spec.AllowMajorVersionUpgrade)
            throw new FswException(ErrorCodes.DatabaseMajorUpgradeNotAllowed,
                $"The database {identifier} runs PostgreSQL {have}; the definition asks for {want}, a major upgrade (an outage; extensions and "
                + "services may not follow). Test it on a snapshot copy, then allow the major upgrade explicitly. Nothing was changed.");
        return (true, $"major version upgrade {have.Major} -> {want.Major} (explicitly allowed): in the maintenance window, with an outage");
    }

    /// <summary>What RDS cannot change in place: refused, because the only way is a new instance and a data move.</summary>
    private static void Fixed(DatabaseSpec spec, RdsDbInstance db, ProvisionContext ctx)
    {
        var problems = new List<string>();
        if (db.Engine != DatabaseSpec.Engine) problems.Add($"engine {db.Engine} (wanted {DatabaseSpec.Engine})");
        if (db.StorageEncrypted != true) problems.Add("storage not encrypted");
        else if (ctx.IdOf(StateAddresses.KmsKey) is { } key && db.KmsKeyId != key) problems.Add($"storage encrypted with {db.KmsKeyId} (wanted the cluster's key {key})");
        if (!string.Equals(db.SubnetGroupName, spec.SubnetGroupName, StringComparison.OrdinalIgnoreCase))
            problems.Add($"subnet group {db.SubnetGroupName} (wanted {spec.SubnetGroupName})");
        if (db.MasterUsername != spec.AdminUser) problems.Add($"admin user {db.MasterUsername} (wanted {spec.AdminUser})");
        if (problems.Count > 0)
            throw new FswException(ErrorCodes.DatabaseFixedSettingChanged,
                $"The database {db.Identifier} differs where RDS cannot change it in place: {string.Join("; ", problems)}. Nothing was changed.");
    }

    private static string? Effective(RdsDbInstance db, string name, string? current) =>
        db.PendingValues is { } p && p.TryGetValue(name, out var pending) ? pending : current;

    private static string Named(string id, ProvisionContext ctx) => ctx.AddressOf(id) is { } a ? $"{a} {id}" : id;

    public static string Bool(bool? value) => value switch { true => "true", false => "false", null => "unknown" };
}
