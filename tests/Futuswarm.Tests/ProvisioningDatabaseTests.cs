using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Database;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Cluster.Provisioning.State;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// The database layer (subnet group, RDS PostgreSQL, the admin's sealed password) on the fake RDS, after the state and
/// network layers on their fakes in the same run: provision, converge, drift, refusals, failures at every call, destroy.
/// </summary>
public class ProvisioningDatabaseTests
{
    private const string Id = "futuswarm-demo";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 23, 45, 0, TimeSpan.Zero);

    private static DatabaseSpec Spec(Func<DatabaseSpec, DatabaseSpec>? change = null)
    {
        var spec = new DatabaseSpec("demo", Id, Id, ProvisioningNetworkTests.Spec.Zones, "16.4", "db.t4g.micro", 50, 7, MultiAz: false)
        {
            InstanceWaits = WaitOptions.Immediate, Clock = () => Now,
        };
        return change is null ? spec : change(spec);
    }

    /// <summary>Seals through the store, noting how many RDS calls had been made at each seal (to show the order).</summary>
    private sealed class WatchedSecrets(IDatabaseAdminSecrets inner, FakeRdsCloud rds) : IDatabaseAdminSecrets
    {
        public List<(int RdsCallsBefore, DatabaseAdminSecret Secret)> Saves { get; } = [];
        public bool FailNextSave { get; set; }
        /// <summary>Fails the save after the next one (the confirmation that follows a seal).</summary>
        public bool FailSecondSave { get; set; }

        public Task<DatabaseAdminSecret?> LoadAsync(CancellationToken ct) => inner.LoadAsync(ct);

        public Task SaveAsync(DatabaseAdminSecret secret, CancellationToken ct)
        {
            if (FailNextSave)
            {
                FailNextSave = false;
                throw new IOException("the store refused the write (injected)");
            }
            if (FailSecondSave) (FailSecondSave, FailNextSave) = (false, true);
            Saves.Add((rds.Calls.Count, secret));
            return inner.SaveAsync(secret, ct);
        }
    }

    /// <summary>One account: fake KMS/S3, EC2 and RDS, and the cluster's store in a temp directory.</summary>
    private sealed class World : IDisposable
    {
        private readonly TempDirectory _dir = new();
        private readonly LocalKeyProvider _keys;
        public LocalKeyProvider Keys => _keys;
        public FakeStateCloud State { get; } = new();
        public FakeEc2Cloud Ec2 { get; } = new();
        public FakeRdsCloud Rds { get; } = new();
        public IStateStore Store { get; }
        public StoreDatabaseAdminSecrets Sealed { get; }
        public WatchedSecrets Secrets { get; }
        public List<string> Log { get; } = [];

        public World()
        {
            var keyFile = Path.Combine(_dir.Path, "master.key");
            LocalKeyProvider.CreateKeyFile(keyFile);
            _keys = LocalKeyProvider.Load(keyFile);
            Store = new LocalDirectoryStore(Path.Combine(_dir.Path, "store"));
            Sealed = new StoreDatabaseAdminSecrets(Store, new EnvelopeCipher(_keys), "demo");
            Secrets = new WatchedSecrets(Sealed, Rds);
        }

        public ProvisionContext Ctx() => new("demo", WaitOptions.Immediate, log: Log.Add);

        public Reconciler All(DatabaseSpec? spec = null) => new([
            .. StateLayer.For(State, State, new StateSpec("demo", "eu-north-1", "123456789012")).Kinds,
            .. NetworkLayer.For(Ec2, ProvisioningNetworkTests.Spec).Kinds,
            .. DatabaseLayer.For(Rds, spec ?? Spec(), Secrets).Kinds,
        ]);

        public Task<Plan> ApplyAsync(DatabaseSpec? spec = null) => All(spec).ApplyAsync(Ctx(), CancellationToken.None);

        public Task<Plan> PlanAsync(DatabaseSpec? spec = null) => All(spec).PlanAsync(Ctx(), CancellationToken.None);

        public void ResetCalls()
        {
            State.ResetCalls();
            Ec2.ResetCalls();
            Rds.ResetCalls();
            Secrets.Saves.Clear();
            Log.Clear();
        }

        public IReadOnlyList<string> AllCalls => [.. State.CallNames, .. Ec2.CallNames, .. Rds.CallNames];

        public async Task<RdsDbInstance> InstanceAsync() => (await Rds.DescribeDbInstancesAsync(Id, default)).Single();

        public async Task<string> GroupIdAsync(string role) =>
            (await Ec2.DescribeSecurityGroupsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo"), Ec2Filter.Tag(ClusterTags.Role, $"security-group[{role}]")], default)).Single().GroupId;

        public async Task<List<string>> SubnetIdsAsync() =>
            (await Ec2.DescribeSubnetsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).OrderBy(s => s.AvailabilityZone).Select(s => s.SubnetId).ToList();

        public async Task<string> KeyArnAsync()
        {
            foreach (var id in await State.ListKeysAsync(default))
                if ((await State.ListResourceTagsAsync(id, default)).GetValueOrDefault(ClusterTags.Cluster) == "demo")
                    return (await State.DescribeKeyAsync(id, default)).Arn;
            throw new InvalidOperationException("no key");
        }

        /// <summary>The admin's password appears nowhere: not in a call, a log line, the plan or an exception.</summary>
        public async Task AssertNoSecretAsync(params string?[] texts)
        {
            var passwords = new[] { Rds.MasterPasswordOf(Id), (await Sealed.LoadAsync(default))?.Password }.OfType<string>().Distinct().ToList();
            var seen = string.Join("\n", [.. Rds.Calls.Select(c => c.ToString()), .. Log, .. texts.OfType<string>()]);
            foreach (var p in passwords) Assert.DoesNotContain(p, seen);
        }

        public void Dispose()
        {
            _keys.Dispose();
            _dir.Dispose();
        }
    }

    [Fact]
    public async Task FullProvisionFromNothingSealsThePasswordBeforeRdsGetsIt()
    {
        using var w = new World();

        var applied = await w.ApplyAsync();

        Assert.Equal(["CreateDBSubnetGroup", "CreateDBInstance"], w.Rds.CallNames);
        Assert.Equal(2, applied.Changes.Count(c => c.Address.Kind.StartsWith("db-", StringComparison.Ordinal)));
        var db = await w.InstanceAsync();
        Assert.Equal(("available", "postgres", "16.4", "db.t4g.micro", 50, 7), (db.Status, db.Engine, db.EngineVersion, db.InstanceClass, db.AllocatedStorage, db.BackupRetentionPeriod));
        Assert.Equal((true, await w.KeyArnAsync()), (db.StorageEncrypted, db.KmsKeyId));
        Assert.Equal((false, false, true), (db.MultiAz, db.PubliclyAccessible, db.DeletionProtection));
        Assert.Equal([await w.GroupIdAsync("database")], db.VpcSecurityGroupIds);
        Assert.Equal((Id, "futuswarm_admin"), (db.SubnetGroupName, db.MasterUsername));
        Assert.Equal(("demo", "db-instance"), (db.Tags[ClusterTags.Cluster], db.Tags[ClusterTags.Role]));
        Assert.Equal(await w.SubnetIdsAsync(), (await w.Rds.DescribeDbSubnetGroupsAsync(Id, default)).Single().SubnetIds);
        Assert.Contains("storage", w.Rds.Calls[1].Detail.Replace("GiB", "storage"));
        Assert.Contains("password ***", w.Rds.Calls[1].Detail);

        // Sealed before CreateDBInstance (only the subnet group call had been made), and marked applied right after it.
        Assert.Equal([1, 2], w.Secrets.Saves.Select(s => s.RdsCallsBefore));
        Assert.Equal([false, true], w.Secrets.Saves.Select(s => s.Secret.Applied));
        var sealedSecret = (await w.Sealed.LoadAsync(default))!;
        Assert.Equal(w.Rds.MasterPasswordOf(Id), sealedSecret.Password);
        Assert.Equal((Id, "futuswarm_admin", true), (sealedSecret.Identifier, sealedSecret.User, sealedSecret.Applied));
        Assert.Equal(w.Secrets.Saves[0].Secret.Password, sealedSecret.Password);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", sealedSecret.Password);
        Assert.DoesNotContain(sealedSecret.Password, sealedSecret.ToString());

        // Progress while RDS creates it, through the run's log.
        Assert.Contains("db-instance: futuswarm-demo is creating", w.Log);
        Assert.Contains("db-instance: futuswarm-demo is available", w.Log);
        Assert.Contains(w.Log, l => l.StartsWith("waiting for database futuswarm-demo to be available", StringComparison.Ordinal));
        await w.AssertNoSecretAsync(applied.ToText());
    }

    [Fact]
    public async Task SecondRunMakesNoMutatingCallAndWritesNoSecret()
    {
        using var w = new World();
        await w.ApplyAsync();
        w.ResetCalls();

        var second = await w.ApplyAsync();

        Assert.True(second.IsEmpty);
        Assert.Empty(w.AllCalls);
        Assert.Empty(w.Secrets.Saves);
        Assert.True(w.Rds.ReadCount > 0);
        Assert.True((await w.PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task DriftIsRepairedWithExactlyTheNeededCalls()
    {
        using var w = new World();
        await w.ApplyAsync();
        var nodes = await w.GroupIdAsync("nodes");
        var database = await w.GroupIdAsync("database");
        var subnets = await w.SubnetIdsAsync();
        w.Rds.Edit(Id, s => s with { BackupRetentionPeriod = 1, DeletionProtection = false, VpcSecurityGroupIds = [nodes] });
        w.Rds.EditGroup(Id, [subnets[0], "subnet-made-by-hand"]);
        w.ResetCalls();

        var plan = await w.PlanAsync();
        var applied = await w.ApplyAsync();

        Assert.Equal(
        [
            "~ db-subnet-group  # drifted", $"    + subnet: subnet[eu-north-1b] {subnets[1]}", "    - subnet: subnet-made-by-hand",
            "~ db-instance  # drifted", "    ~ backup_retention_days: 1 -> 7", $"    - security_group: security-group[nodes] {nodes}",
            $"    + security_group: security-group[database] {database}", "    ~ deletion_protection: false -> true",
        ], plan.ToText().Split('\n').Where(l => l.StartsWith("~ db-", StringComparison.Ordinal) || l.StartsWith("    ", StringComparison.Ordinal)));
        Assert.Equal(2, applied.Count(ChangeAction.Update));
        Assert.Equal(["ModifyDBSubnetGroup", "ModifyDBInstance"], w.AllCalls);
        Assert.Equal($"{Id} {subnets[0]},{subnets[1]}", w.Rds.Calls[0].Detail);
        Assert.Equal($"{Id} now: backup 7, sg {database}, deletion-protection True", w.Rds.Calls[1].Detail);
        var db = await w.InstanceAsync();
        Assert.Equal((7, true), (db.BackupRetentionPeriod, db.DeletionProtection));
        Assert.Equal([database], db.VpcSecurityGroupIds);
        Assert.Empty(w.Secrets.Saves);

        w.ResetCalls();
        Assert.True((await w.ApplyAsync()).IsEmpty);
        Assert.Empty(w.AllCalls);
    }

    [Fact]
    public async Task AClassChangeWaitsForTheMaintenanceWindowAndIsNotPlannedTwice()
    {
        using var w = new World();
        await w.ApplyAsync();
        w.ResetCalls();
        var bigger = Spec(s => s with { InstanceClass = "db.t4g.small", AllocatedStorageGb = 80, MultiAz = true });

        var applied = await w.ApplyAsync(bigger);

        Assert.Contains("instance_class wait for the maintenance window (they restart the database)", applied.Changes.Single().Reason);
        Assert.Equal([$"{Id} now: storage 80, multi-az True", $"{Id} in window: class db.t4g.small"], w.Rds.Calls.Select(c => c.Detail));
        w.ResetCalls();
        Assert.True((await w.ApplyAsync(bigger)).IsEmpty); // pending in RDS counts as done
        Assert.Equal("db.t4g.micro", (await w.InstanceAsync()).InstanceClass);
        w.Rds.RunMaintenanceWindow();
        Assert.True((await w.ApplyAsync(bigger)).IsEmpty);
        Assert.Empty(w.AllCalls);
        Assert.Equal(("db.t4g.small", 80, true), ((await w.InstanceAsync()).InstanceClass, (await w.InstanceAsync()).AllocatedStorage, (await w.InstanceAsync()).MultiAz));
    }

    [Fact]
    public async Task AStorageShrinkIsRefusedAndNothingChanges()
    {
        using var w = new World();
        await w.ApplyAsync();
        w.ResetCalls();

        var e = await Assert.ThrowsAsync<FswException>(() => w.ApplyAsync(Spec(s => s with { AllocatedStorageGb = 30, BackupRetentionDays = 14 })));

        Assert.Equal(ErrorCodes.DatabaseStorageShrinkRefused, e.Code);
        Assert.Contains("has 50 GiB; the definition asks for 30 GiB", e.Message);
        Assert.Empty(w.AllCalls);
        Assert.Equal((50, 7), ((await w.InstanceAsync()).AllocatedStorage, (await w.InstanceAsync()).BackupRetentionPeriod));
        await w.AssertNoSecretAsync(e.ToString());
    }

    [Fact]
    public async Task VersionsOnlyGoUpAndAMajorUpgradeNeedsTheOptIn()
    {
        using var w = new World();
        await w.ApplyAsync();
        w.ResetCalls();

        var down = await Assert.ThrowsAsync<FswException>(() => w.ApplyAsync(Spec(s => s with { EngineVersion = "16.2" })));
        var major = await Assert.ThrowsAsync<FswException>(() => w.ApplyAsync(Spec(s => s with { EngineVersion = "17.1" })));
        Assert.Equal((ErrorCodes.DatabaseEngineDowngradeRefused, ErrorCodes.DatabaseMajorUpgradeNotAllowed), (down.Code, major.Code));
        Assert.Contains("runs PostgreSQL 16.4; the definition asks for 16.2", down.Message);
        Assert.Empty(w.AllCalls);

        var minor = await w.ApplyAsync(Spec(s => s with { EngineVersion = "16.10" }));
        Assert.Equal($"{Id} in window: version 16.10", w.Rds.Calls.Single().Detail);
        Assert.Equal("drifted; engine_version wait for the maintenance window (they restart the database)", minor.Changes.Single().Reason);
        w.Rds.RunMaintenanceWindow();
        w.ResetCalls();

        var plan = await w.PlanAsync(Spec(s => s with { EngineVersion = "17.2", AllowMajorVersionUpgrade = true }));
        Assert.StartsWith("major version upgrade 16 -> 17 (explicitly allowed): in the maintenance window, with an outage", plan.Changes.Single().Reason);
        await w.ApplyAsync(Spec(s => s with { EngineVersion = "17.2", AllowMajorVersionUpgrade = true }));
        Assert.Equal($"{Id} in window: version 17.2 (major allowed)", w.Rds.Calls.Single().Detail);
    }

    [Fact]
    public async Task ALostAdminPasswordIsSealedAnewThenSet()
    {
        using var w = new World();
        await w.ApplyAsync();
        var old = w.Rds.MasterPasswordOf(Id);
        await w.Store.DeleteAsync(StoreDatabaseAdminSecrets.Key, default);
        w.ResetCalls();

        var plan = await w.PlanAsync();
        var applied = await w.ApplyAsync();

        Assert.Equal("    ~ admin_password: not in the cluster's store -> " + DatabaseInstanceDiff.PasswordSealedFirst, plan.ToText().Split('\n')[^2]);
        Assert.Equal([$"{Id} now: password ***"], w.Rds.Calls.Select(c => c.Detail));
        Assert.Equal([(0, false), (1, true)], w.Secrets.Saves.Select(s => (s.RdsCallsBefore, s.Secret.Applied)));
        var now = (await w.Sealed.LoadAsync(default))!.Password;
        Assert.Equal(now, w.Rds.MasterPasswordOf(Id));
        Assert.NotEqual(old, now);
        await w.AssertNoSecretAsync(plan.ToText(), applied.ToText());
        w.ResetCalls();
        Assert.True((await w.ApplyAsync()).IsEmpty);
    }

    [Fact]
    public async Task AFailureAtEveryMutatingCallThenARerunCompletesWithoutDuplicatesAndTheSamePassword()
    {
        int calls;
        using (var probe = new World())
        {
            await probe.ApplyAsync();
            calls = probe.Rds.Calls.Count;
        }
        Assert.Equal(2, calls);

        for (var n = 1; n <= calls; n++)
        {
            // State and network first, then a run that fails at the n-th RDS call.
            using var fresh = new World();
            await PrepareWithoutDatabaseAsync(fresh);
            fresh.Rds.FailMutatingCall(n);

            var e = await Assert.ThrowsAsync<FswException>(() => fresh.ApplyAsync());
            Assert.Equal(ErrorCodes.CloudCallFailed, e.Code);
            await fresh.AssertNoSecretAsync(e.ToString(), e.Message);
            var sealedBefore = (await fresh.Sealed.LoadAsync(default))?.Password;

            fresh.ResetCalls();
            await fresh.ApplyAsync();

            Assert.Equal([Id], fresh.Rds.InstanceIds);
            Assert.Equal([Id], fresh.Rds.GroupNames);
            Assert.DoesNotContain(fresh.Rds.Calls, c => c.Failed);
            var sealedAfter = (await fresh.Sealed.LoadAsync(default))!;
            Assert.True(sealedAfter.Applied);
            Assert.Equal(sealedAfter.Password, fresh.Rds.MasterPasswordOf(Id));
            if (sealedBefore is not null) Assert.Equal(sealedBefore, sealedAfter.Password); // a sealed password is reused, not replaced
            fresh.ResetCalls();
            Assert.True((await fresh.ApplyAsync()).IsEmpty);
            Assert.Empty(fresh.AllCalls);
        }
    }

    /// <summary>State and network applied on their own: the database layer then starts from nothing.</summary>
    private static async Task PrepareWithoutDatabaseAsync(World w)
    {
        var ctx = w.Ctx();
        await new Reconciler([
            .. StateLayer.For(w.State, w.State, new StateSpec("demo", "eu-north-1", "123456789012")).Kinds,
            .. NetworkLayer.For(w.Ec2, ProvisioningNetworkTests.Spec).Kinds,
        ]).ApplyAsync(ctx, CancellationToken.None);
        w.ResetCalls();
    }

    [Fact]
    public async Task AStoreThatCannotSealStopsTheRunBeforeTheInstanceIsCreated()
    {
        using var w = new World();
        await PrepareWithoutDatabaseAsync(w);
        w.Secrets.FailNextSave = true;

        await Assert.ThrowsAsync<IOException>(() => w.ApplyAsync());

        Assert.Equal(["CreateDBSubnetGroup"], w.Rds.CallNames);
        Assert.Empty(w.Rds.InstanceIds);
        w.ResetCalls();
        await w.ApplyAsync();
        Assert.Equal(["CreateDBInstance"], w.Rds.CallNames);
        Assert.Equal((await w.Sealed.LoadAsync(default))!.Password, w.Rds.MasterPasswordOf(Id));
    }

    [Fact]
    public async Task AnInstanceCreatedWhoseConfirmationWasLostGetsTheSealedPasswordAgain()
    {
        using var w = new World();
        await PrepareWithoutDatabaseAsync(w);
        w.Secrets.FailSecondSave = true;

        await Assert.ThrowsAsync<IOException>(() => w.ApplyAsync());
        var sealedSecret = (await w.Sealed.LoadAsync(default))!;
        Assert.False(sealedSecret.Applied); // RDS took it, but the run did not get to say so
        w.ResetCalls();
        var plan = await w.PlanAsync();
        await w.ApplyAsync();

        Assert.Contains("    ~ admin_password: sealed, not yet confirmed set on RDS -> the sealed one, set again (not shown)", plan.ToText());
        Assert.Equal([$"{Id} now: password ***"], w.Rds.Calls.Select(c => c.Detail));
        Assert.Equal(sealedSecret.Password, (await w.Sealed.LoadAsync(default))!.Password);
        Assert.Equal(sealedSecret.Password, w.Rds.MasterPasswordOf(Id));
        Assert.True((await w.Sealed.LoadAsync(default))!.Applied);
        await w.AssertNoSecretAsync(plan.ToText());
    }

    [Fact]
    public async Task DestroyLiftsDeletionProtectionKeepsAFinalSnapshotThenDeletesTheGroup()
    {
        using var w = new World();
        await w.ApplyAsync();
        w.ResetCalls();
        var layer = DatabaseLayer.For(w.Rds, Spec(), w.Secrets);

        var plan = await layer.PlanDestroyAsync(w.Ctx(), CancellationToken.None);
        var destroyed = await layer.DestroyAsync(w.Ctx(), CancellationToken.None);

        Assert.Equal(
            "Cluster \"demo\": 0 to create, 0 to update, 0 to replace, 2 to delete.\n\n"
            + "- db-instance  # destroy; the final snapshot is kept\n    - id: futuswarm-demo\n    ~ deletion_protection: true -> false\n"
            + "    + final_snapshot: futuswarm-demo-final-<yyyyMMddHHmmss>\n\n"
            + "- db-subnet-group  # destroy\n    - id: futuswarm-demo\n", plan.ToText());
        Assert.Equal(2, destroyed.Count(ChangeAction.Delete));
        Assert.Equal(["ModifyDBInstance", "DeleteDBInstance", "DeleteDBSubnetGroup"], w.Rds.CallNames);
        Assert.Equal($"{Id} now: deletion-protection False", w.Rds.Calls[0].Detail);
        Assert.Equal($"{Id} final snapshot futuswarm-demo-final-20261125234500", w.Rds.Calls[1].Detail);
        Assert.Equal(["futuswarm-demo-final-20261125234500"], w.Rds.Snapshots);
        Assert.Empty(w.Rds.InstanceIds);
        Assert.Empty(w.Rds.GroupNames);
        Assert.Contains(w.Log, l => l.Contains("final snapshot futuswarm-demo-final-20261125234500 is kept", StringComparison.Ordinal));
        Assert.NotNull(await w.Sealed.LoadAsync(default)); // the snapshot's admin password stays with it
        Assert.True((await layer.PlanDestroyAsync(w.Ctx(), CancellationToken.None)).IsEmpty);
    }

    [Fact]
    public async Task ADestroyWhoseDeleteFailsTurnsDeletionProtectionBackOn()
    {
        using var w = new World();
        await w.ApplyAsync();
        w.ResetCalls();
        w.Rds.FailMutatingCall(2, "InvalidParameterCombination"); // the delete, after protection was lifted
        var layer = DatabaseLayer.For(w.Rds, Spec(), w.Secrets);

        await Assert.ThrowsAsync<FswException>(() => layer.DestroyAsync(w.Ctx(), CancellationToken.None));

        Assert.Equal(["ModifyDBInstance", "DeleteDBInstance", "ModifyDBInstance"], w.Rds.CallNames);
        Assert.Equal($"{Id} now: deletion-protection True", w.Rds.Calls[2].Detail);
        Assert.Equal([Id], w.Rds.InstanceIds);
        Assert.Empty(w.Rds.Snapshots);
    }

    [Fact]
    public async Task ThePlanFromNothingShowsNoSecret()
    {
        using var w = new World();
        await PrepareWithoutDatabaseAsync(w);
        var key = await w.KeyArnAsync();
        var sg = await w.GroupIdAsync("database");
        var subnets = await w.SubnetIdsAsync();

        var plan = await w.PlanAsync();

        Assert.Equal(
            "Cluster \"demo\": 2 to create, 0 to update, 0 to replace, 0 to delete.\n\n"
            + "+ db-subnet-group  # not found\n"
            + "    + name: futuswarm-demo\n"
            + $"    + subnet: subnet[eu-north-1a] {subnets[0]}\n"
            + $"    + subnet: subnet[eu-north-1b] {subnets[1]}\n\n"
            + "+ db-instance  # not found\n"
            + "    + identifier: futuswarm-demo\n"
            + "    + engine: postgres 16.4\n"
            + "    + instance_class: db.t4g.micro\n"
            + "    + allocated_storage_gb: 50 (gp3)\n"
            + $"    + storage_encrypted: kms-key {key}\n"
            + "    + backup_retention_days: 7\n"
            + "    + multi_az: false\n"
            + "    + publicly_accessible: false\n"
            + "    + deletion_protection: true\n"
            + $"    + security_group: security-group[database] {sg}\n"
            + "    + subnet_group: futuswarm-demo\n"
            + "    + admin_user: futuswarm_admin\n"
            + "    + admin_password: generated, sealed in the cluster's store before it is sent (not shown)\n",
            plan.ToText());
        Assert.Empty(w.AllCalls);
        Assert.Null(await w.Sealed.LoadAsync(default)); // planning seals nothing
    }

    [Fact]
    public async Task TheFakeRefusesWhatRdsRefuses()
    {
        using var w = new World();
        await w.ApplyAsync();
        var db = await w.InstanceAsync();
        var spec = new RdsDbInstanceSpec(Id, "db.t4g.micro", "16.4", 50, 7, Id, [], "futuswarm_admin", new RdsPassword("Pa55word-long"), new Dictionary<string, string>());

        async Task<string> Code(Func<Task> call) => (await Assert.ThrowsAsync<AwsApiException>(call)).AwsCode;

        Assert.Equal("DBInstanceAlreadyExists", await Code(() => w.Rds.CreateDbInstanceAsync(spec, default)));
        Assert.Equal("DBInstanceNotFound", await Code(() => w.Rds.ModifyDbInstanceAsync(new RdsDbInstanceChanges("nope", true, BackupRetentionPeriod: 3), default)));
        Assert.Equal("DBSubnetGroupAlreadyExists", await Code(() => w.Rds.CreateDbSubnetGroupAsync(Id, "x", ["subnet-1", "subnet-2"], new Dictionary<string, string>(), default)));
        Assert.Equal("InvalidDBSubnetGroupStateFault", await Code(() => w.Rds.DeleteDbSubnetGroupAsync(Id, default)));
        Assert.Equal("InvalidParameterCombination", await Code(() => w.Rds.DeleteDbInstanceAsync(Id, null, default)));
        Assert.Equal("InvalidParameterCombination", await Code(() => w.Rds.ModifyDbInstanceAsync(new RdsDbInstanceChanges(Id, true, AllocatedStorage: 20), default)));
        Assert.Equal("DBSubnetGroupDoesNotCoverEnoughAZs", await Code(() => w.Rds.ModifyDbSubnetGroupAsync(Id, null, ["subnet-1"], default)));
        Assert.Equal("arn:aws:rds:eu-north-1:123456789012:db:futuswarm-demo", db.Arn);
        Assert.All(w.Rds.Calls, c => Assert.DoesNotContain("Pa55word-long", c.ToString()));
        Assert.Equal(2, w.Rds.Calls.Count(c => c.Name == "CreateDBInstance" && c.Detail.EndsWith("password ***", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheExampleDefinitionsMajorOnlyVersionConvergesOnTheMinorRdsPicked()
    {
        var d = Futuswarm.Cluster.Provisioning.Definition.ClusterDefinitionLoader.Load(Path.Combine(RepoRoot.Path, "docs", "examples", "cluster.json"));
        var fromDefinition = DatabaseSpec.Of(d, Futuswarm.Cluster.Provisioning.ClusterPlanner.NetworkOf(d));
        Assert.Equal(("16", "db.t4g.small", 50, 14, true), (fromDefinition.EngineVersion, fromDefinition.InstanceClass,
            fromDefinition.AllocatedStorageGb, fromDefinition.BackupRetentionDays, fromDefinition.MultiAz));
        Assert.Equal(d.AvailabilityZones, fromDefinition.Zones.Count);

        using var w = new World();
        var spec = Spec(s => s with { EngineVersion = "16" });
        await w.ApplyAsync(spec);
        Assert.Equal("16.4", (await w.InstanceAsync()).EngineVersion);
        w.ResetCalls();
        Assert.True((await w.ApplyAsync(spec)).IsEmpty);
        Assert.Empty(w.AllCalls);
        Assert.Equal(ErrorCodes.DatabaseEngineDowngradeRefused, (await Assert.ThrowsAsync<FswException>(() => w.PlanAsync(Spec(s => s with { EngineVersion = "15" })))).Code);
    }

    [Fact]
    public async Task WhatRdsCannotChangeInPlaceIsRefusedWithNothingChanged()
    {
        using var w = new World();
        await w.ApplyAsync();
        w.Rds.Edit(Id, s => s with { StorageEncrypted = false, KmsKeyId = null, MasterUsername = "root_by_hand" });
        w.ResetCalls();

        var e = await Assert.ThrowsAsync<FswException>(() => w.ApplyAsync(Spec(s => s with { BackupRetentionDays = 3 })));

        Assert.Equal(ErrorCodes.DatabaseFixedSettingChanged, e.Code);
        Assert.Contains("storage not encrypted; admin user root_by_hand (wanted futuswarm_admin)", e.Message);
        Assert.Empty(w.AllCalls);
    }

    [Fact]
    public async Task ASubnetGroupUnderALiveInstanceIsNotRetriedWhenRdsRefusesToDeleteIt()
    {
        using var w = new World();
        await w.ApplyAsync();
        w.ResetCalls();
        var groupOnly = new Reconciler([new DatabaseSubnetGroupKind(w.Rds, Spec())]);

        var e = await Assert.ThrowsAsync<FswException>(() => groupOnly.DestroyAsync(w.Ctx(), CancellationToken.None));

        Assert.Equal(ErrorCodes.CloudCallFailed, e.Code);
        Assert.Contains("InvalidDBSubnetGroupStateFault", e.Message);
        Assert.Equal(["DeleteDBSubnetGroup"], w.Rds.CallNames); // once: the instance still lives
    }

    [Fact]
    public async Task TheAdminsLoginIsSealedAtItsOwnKeyAndOpensOnlyUnderItsOwnContext()
    {
        using var w = new World();
        await w.ApplyAsync();
        var password = (await w.Sealed.LoadAsync(default))!.Password;

        var raw = await w.Store.ReadAsync(StoreDatabaseAdminSecrets.Key, default);

        Assert.NotNull(raw);
        Assert.DoesNotContain(password, System.Text.Encoding.UTF8.GetString(raw!));
        Assert.Equal(["databases/futuswarm-admin.json"], await w.Store.ListAsync("databases/", default));
        // Copied to where a service's credentials would be, it does not open: the context binds it to its place.
        await w.Store.WriteAsync(DatabaseCredentialsRepository.KeyOf("shop"), raw!, default);
        var repo = new DatabaseCredentialsRepository(w.Store, new EnvelopeCipher(w.Keys), "demo");
        await Assert.ThrowsAnyAsync<Exception>(() => repo.LoadAsync("shop", default));
    }

    [Fact]
    public void TheAdminsStoreKeyMeetsNoServiceAndTheSpecIsChecked()
    {
        Assert.NotNull(Validation.CheckServiceName("futuswarm-admin"));
        Assert.NotEqual(DatabaseCredentialsRepository.MasterKey, StoreDatabaseAdminSecrets.Key);
        Assert.Equal(ErrorCodes.ProvisionSpecInvalid, Assert.Throws<FswException>(() => Spec(s => s with { AdminUser = "futuswarm_master" }).Validate()).Code);
        Assert.Equal(ErrorCodes.ProvisionSpecInvalid, Assert.Throws<FswException>(() => Spec(s => s with { AllocatedStorageGb = 10 }).Validate()).Code);
        Assert.Equal(ErrorCodes.ProvisionSpecInvalid, Assert.Throws<FswException>(() => Spec(s => s with { EngineVersion = "latest" }).Validate()).Code);
        Assert.True(PostgresVersion.TryParse("16.10", out var a) && PostgresVersion.TryParse("16.9", out var b) && a.CompareTo(b) > 0);
        Assert.True(PostgresVersion.TryParse("9.6.22", out var old) && old.Major == "9.6");
        Assert.Equal("futuswarm-demo-final-20261125234500", DatabaseInstanceKind.FinalSnapshotName(Id, Now));
    }
}
