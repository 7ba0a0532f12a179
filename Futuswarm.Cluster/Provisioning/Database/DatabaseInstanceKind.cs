using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Cluster.Provisioning.State;
using static Futuswarm.Cluster.Provisioning.Database.DatabaseInstanceDiff;

namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>
/// The cluster's RDS PostgreSQL: gp3 storage encrypted with the cluster's KMS key, private, deletion protection on, in
/// the database security group and the cluster's subnet group. Found by its identifier (unique per account and region).
/// The admin's password is sealed in the store before CreateDBInstance or ModifyDBInstance carries it, so no instance
/// exists whose password is lost; a missing one is sealed anew and set. Destroy lifts deletion protection and deletes
/// with a final snapshot, which is kept.
/// </summary>
public sealed class DatabaseInstanceKind(IRdsApi rds, DatabaseSpec spec, IDatabaseAdminSecrets secrets) : ResourceKind<ObservedDatabase>
{
    public override string Kind => DatabaseAddresses.Instance.Kind;

    /// <summary>Replacing the instance would lose every service's data.</summary>
    public override bool Replaceable => false;

    protected override async Task<IReadOnlyList<ObservedDatabase>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var found = await Describe(ct);
        if (found is null) return [];
        return [new ObservedDatabase(found, await secrets.LoadAsync(ct))];
    }

    protected override string IdOf(ObservedDatabase observed) => observed.Instance.Identifier;

    // Found by identifier, so it is the instance whatever its tags say; missing tags show in the diff.
    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedDatabase observed) =>
        new Dictionary<string, string> { [ClusterTags.Role] = DatabaseAddresses.Instance.Role };

    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [DatabaseAddresses.Instance];

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedDatabase? observed, ProvisionContext ctx) =>
        observed is null ? [DatabaseInstanceDiff.Create(address, spec, null, ctx)] : Update(address, spec, observed, ctx);

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var keyArn = ctx.RequireId(StateAddresses.KmsKey);
        var groupId = ctx.RequireId(SecurityRules.Database);
        var secret = await SealedAsync(ctx, ct);
        await RdsCalls.Run("CreateDBInstance", () => rds.CreateDbInstanceAsync(new RdsDbInstanceSpec(
            spec.Identifier, spec.InstanceClass, spec.EngineVersion, spec.AllocatedStorageGb, spec.BackupRetentionDays,
            spec.SubnetGroupName, [groupId], spec.AdminUser, new RdsPassword(secret.Password), ctx.TagsFor(change.Address),
            StorageType: DatabaseSpec.StorageType, StorageEncrypted: true, KmsKeyId: keyArn, MultiAz: spec.MultiAz,
            PubliclyAccessible: false, DeletionProtection: true), ct));
        ctx.Created(change.Address, spec.Identifier, change.Reason);
        await ConfirmedAsync(secret, ct);
        var db = await WaitAsync("to be available", d => d?.Status == "available", ctx, ct);
        ctx.Log($"{change.Address}: {spec.Identifier} is available at {db?.EndpointAddress}:{db?.EndpointPort}");
        return spec.Identifier;
    }

    protected override async Task UpdateAsync(Change change, ObservedDatabase observed, ProvisionContext ctx, CancellationToken ct)
    {
        var id = observed.Instance.Identifier;
        if (observed.Instance.Status == "creating") await WaitAsync("to be available", d => d?.Status == "available", ctx, ct);
        bool Has(string field) => change.Fields.Any(f => f.Field == field);

        DatabaseAdminSecret? secret = Has(Password) ? await SealedAsync(ctx, ct) : null;
        // What does not restart the database is applied now; class and version changes restart it and wait for the window.
        var now = new RdsDbInstanceChanges(id, ApplyImmediately: true,
            AllocatedStorage: Has(Storage) ? spec.AllocatedStorageGb : null,
            BackupRetentionPeriod: Has(Backup) ? spec.BackupRetentionDays : null,
            VpcSecurityGroupIds: Has(SecurityGroups) ? [ctx.RequireId(SecurityRules.Database)] : null,
            MasterUserPassword: secret is null ? null : new RdsPassword(secret.Password),
            DeletionProtection: Has(DeletionProtection) ? true : null,
            MultiAz: Has(MultiAz) ? spec.MultiAz : null,
            PubliclyAccessible: Has(Public) ? false : null);
        if (now != new RdsDbInstanceChanges(id, true))
            await RdsCalls.Run("ModifyDBInstance", () => rds.ModifyDbInstanceAsync(now, ct));
        if (secret is not null) await ConfirmedAsync(secret, ct);

        if (Has(Class) || Has(VersionField))
        {
            var major = PostgresVersion.TryParse(spec.EngineVersion, out var want) && PostgresVersion.TryParse(observed.Instance.EngineVersion, out var have)
                && want.Major != have.Major;
            await RdsCalls.Run("ModifyDBInstance", () => rds.ModifyDbInstanceAsync(new RdsDbInstanceChanges(id, ApplyImmediately: false,
                InstanceClass: Has(Class) ? spec.InstanceClass : null,
                EngineVersion: Has(VersionField) ? spec.EngineVersion : null,
                AllowMajorVersionUpgrade: major ? true : null), ct));
            ctx.Log($"{change.Address}: {string.Join(" and ", new[] { Class, VersionField }.Where(Has))} will change in the next maintenance window");
        }
        if (TagDiff.Any(change) && observed.Instance.Arn is { } arn)
            await RdsCalls.Run("AddTagsToResource", () => rds.AddTagsToResourceAsync(arn, ctx.TagsFor(change.Address), ct));
    }

    protected override async Task DeleteAsync(ObservedDatabase observed, ProvisionContext ctx, CancellationToken ct)
    {
        var db = observed.Instance;
        if (db.Status != "deleting")
        {
            if (db.Status == "creating") await WaitAsync("to be available", d => d?.Status == "available", ctx, ct);
            if (db.DeletionProtection == true)
                await RdsCalls.Run("ModifyDBInstance", () => rds.ModifyDbInstanceAsync(new RdsDbInstanceChanges(db.Identifier, true, DeletionProtection: false), ct));
            var snapshot = FinalSnapshotName(db.Identifier, spec.Clock());
            // A modification still being applied refuses the delete for a moment.
            try { await RdsCalls.RunWhile("DeleteDBInstance", () => rds.DeleteDbInstanceAsync(db.Identifier, snapshot, ct), ctx.Waits, ct, "InvalidDBInstanceState"); }
            catch (Exception) when (db.DeletionProtection == true)
            {
                // The delete did not happen: the database must not stay unprotected until the next provision.
                try { await RdsCalls.Run("ModifyDBInstance", () => rds.ModifyDbInstanceAsync(new RdsDbInstanceChanges(db.Identifier, true, DeletionProtection: true), ct)); }
                catch (CloudException e) { ctx.Log($"{DatabaseAddresses.Instance}: could not turn deletion protection back on ({e.Code}); ProvisionCluster will"); }
                throw;
            }
            ctx.Log($"{DatabaseAddresses.Instance}: deleting {db.Identifier}; its final snapshot {snapshot} is kept (restore it to get the data back)");
        }
        // The subnet group can go only once the instance is gone.
        await WaitAsync("to be deleted", d => d is null, ctx, ct);
    }

    /// <summary>Shows the final snapshot and the lifted deletion protection in the destroy plan.</summary>
    public override async Task<IReadOnlyList<Change>> PlanDestroyAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var changes = await base.PlanDestroyAsync(ctx, ct);
        if (changes.Count == 0) return changes;
        var protectedNow = (await Describe(ct))?.DeletionProtection == true;
        return changes.Select(c => c with
        {
            Reason = "destroy; the final snapshot is kept",
            Fields = [.. c.Fields, .. protectedNow ? [new FieldChange(DeletionProtection, "true", "false")] : Array.Empty<FieldChange>(),
                FieldChange.Set("final_snapshot", $"{c.Fields[0].From}-final-<yyyyMMddHHmmss>")],
        }).ToList();
    }

    public static string FinalSnapshotName(string identifier, DateTimeOffset at) => $"{identifier}-final-{at.UtcDateTime:yyyyMMddHHmmss}";

    /// <summary>The admin login to give RDS: the one sealed for this instance, or a new one sealed now (before any call).</summary>
    private async Task<DatabaseAdminSecret> SealedAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var secret = await secrets.LoadAsync(ct);
        if (Usable(secret, spec) && (secret!.Applied is false || ctx.IdOf(DatabaseAddresses.Instance) is null)) return secret;
        var fresh = new DatabaseAdminSecret(spec.Identifier, spec.AdminUser, DatabasePasswords.New(), Applied: false);
        await secrets.SaveAsync(fresh, ct);
        ctx.Log($"{DatabaseAddresses.Instance}: sealed a new password for {spec.AdminUser} in the cluster's store");
        return fresh;
    }

    private async Task ConfirmedAsync(DatabaseAdminSecret secret, CancellationToken ct)
    {
        if (!secret.Applied) await secrets.SaveAsync(secret with { Applied = true }, ct);
    }

    private async Task<RdsDbInstance?> Describe(CancellationToken ct) =>
        (await RdsCalls.Run("DescribeDBInstances", () => rds.DescribeDbInstancesAsync(spec.Identifier, ct))).SingleOrDefault();

    /// <summary>Polls within the spec's long bounds, logging each status RDS moves through.</summary>
    private async Task<RdsDbInstance?> WaitAsync(string what, Func<RdsDbInstance?, bool> done, ProvisionContext ctx, CancellationToken ct)
    {
        string? last = null;
        var result = await Waiter.UntilAsync($"database {spec.Identifier} {what}", async c =>
        {
            var db = await Describe(c);
            var status = db?.Status ?? "gone";
            if (status != last) ctx.Log($"{DatabaseAddresses.Instance}: {spec.Identifier} is {status}");
            last = status;
            return new Seen(db);
        }, s => done(s.Instance), spec.InstanceWaits, ct, ctx.Log);
        return result.Instance;
    }

    /// <summary>The waiter's view: a reading, including "gone" (the waiter treats null as not visible yet).</summary>
    private sealed record Seen(RdsDbInstance? Instance)
    {
        public override string ToString() => Instance?.Status ?? "gone";
    }
}
