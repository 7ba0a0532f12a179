using System.Net;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// An in-memory RDS behind <see cref="IRdsApi"/>, refusing what RDS refuses where provisioning could go wrong:
/// DBInstanceAlreadyExists, DBInstanceNotFound, DBSubnetGroupAlreadyExists, DBSubnetGroupNotFoundFault,
/// InvalidDBSubnetGroupStateFault (a group an instance uses), InvalidParameterCombination (deleting a protected
/// instance, shrinking storage), InvalidDBInstanceState (changing an instance being created or deleted). An instance is
/// <c>creating</c> for a few reads, then <c>available</c>; changes with ApplyImmediately are <c>modifying</c> for one
/// read, the others stay in PendingModifiedValues until <see cref="RunMaintenanceWindow"/>. A deleted instance is
/// <c>deleting</c> for a few reads and leaves its final snapshot. The master password is kept for the tests'
/// comparisons only and shows as *** in the call log.
/// </summary>
public sealed class FakeRdsCloud(string region = "eu-north-1", string accountId = "123456789012") : FakeCloud("InternalFailure"), IRdsApi
{
    private sealed class Instance
    {
        public required string Id { get; init; }
        public required RdsDbInstanceSpec Spec { get; set; }
        public required string Password { get; set; }
        public string Status { get; set; } = "creating";
        public int ReadsLeft { get; set; }
        public Dictionary<string, string> Pending { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Group(string name, string description, List<string> subnets, Dictionary<string, string> tags)
    {
        public string Name { get; } = name;
        public string Description { get; set; } = description;
        public List<string> Subnets { get; set; } = subnets;
        public Dictionary<string, string> Tags { get; } = tags;
    }

    private readonly Dictionary<string, Instance> _instances = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Group> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _snapshots = [];

    /// <summary>Instances and subnet groups tagged for the cluster, and the cluster's final snapshots (kept by a destroy, as promised).</summary>
    public override IReadOnlyList<string> Tagged(string cluster) =>
        _instances.Values.Where(i => i.Tags.GetValueOrDefault(Engine.ClusterTags.Cluster) == cluster).Select(i => "db-instance " + i.Tags.GetValueOrDefault(Engine.ClusterTags.Role))
            .Concat(_groups.Values.Where(g => g.Tags.GetValueOrDefault(Engine.ClusterTags.Cluster) == cluster).Select(g => "db-subnet-group " + g.Name))
            .Concat(_snapshots.Where(s => s.StartsWith($"futuswarm-{cluster}-final-", StringComparison.Ordinal)).Select(s => "db-snapshot " + s)).ToList();

    /// <summary>Reads an instance stays <c>creating</c> (and <c>deleting</c>) before it moves on.</summary>
    public int ReadsToSettle { get; set; } = 2;

    /// <summary>The minor version RDS picks when CreateDBInstance names only a major.</summary>
    public int DefaultMinor { get; set; } = 4;

    /// <summary>The VPC every subnet group reports.</summary>
    public string? VpcId { get; set; }

    public IReadOnlyList<string> Snapshots => _snapshots;
    public IReadOnlyCollection<string> InstanceIds => _instances.Keys.Order(StringComparer.Ordinal).ToList();
    public IReadOnlyCollection<string> GroupNames => _groups.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The password RDS holds for the instance's master user (for tests only).</summary>
    public string? MasterPasswordOf(string identifier) => _instances.TryGetValue(identifier, out var i) ? i.Password : null;

    /// <summary>Applies what waits for the maintenance window.</summary>
    public void RunMaintenanceWindow()
    {
        foreach (var i in _instances.Values) Apply(i, i.Pending.ToDictionary());
        foreach (var i in _instances.Values) i.Pending.Clear();
    }

    /// <summary>Drift made outside provisioning (the console): no call is logged.</summary>
    public void Edit(string identifier, Func<RdsDbInstanceSpec, RdsDbInstanceSpec> change)
    {
        var i = _instances[identifier];
        i.Spec = change(i.Spec);
    }

    public void EditGroup(string name, IReadOnlyList<string> subnets) => _groups[name].Subnets = [.. subnets];

    public Task<IReadOnlyList<RdsDbInstance>> DescribeDbInstancesAsync(string? identifier, CancellationToken ct)
    {
        Reading();
        foreach (var i in _instances.Values.ToList()) Settle(i);
        var found = _instances.Values.Where(i => identifier is null || string.Equals(i.Id, identifier, StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => i.Id, StringComparer.Ordinal).Select(View).ToList();
        return Task.FromResult<IReadOnlyList<RdsDbInstance>>(found);
    }

    public Task<RdsDbInstance> CreateDbInstanceAsync(RdsDbInstanceSpec spec, CancellationToken ct)
    {
        Mutating("CreateDBInstance", $"{spec.Identifier} {spec.Engine} {spec.EngineVersion} {spec.InstanceClass} {spec.AllocatedStorage} GiB "
            + $"kms {spec.KmsKeyId} sg {string.Join(",", spec.VpcSecurityGroupIds)} group {spec.SubnetGroupName} user {spec.MasterUsername} password {spec.MasterUserPassword}");
        if (_instances.ContainsKey(spec.Identifier)) throw Refused("CreateDBInstance", "DBInstanceAlreadyExists", "DB instance already exists", HttpStatusCode.BadRequest);
        if (!_groups.ContainsKey(spec.SubnetGroupName))
            throw Refused("CreateDBInstance", "DBSubnetGroupNotFoundFault", $"DB subnet group {spec.SubnetGroupName} does not exist.", HttpStatusCode.NotFound);
        // Given only a major version, RDS picks that major's default minor and reports it.
        if (!spec.EngineVersion.Contains('.')) spec = spec with { EngineVersion = $"{spec.EngineVersion}.{DefaultMinor}" };
        var i = new Instance { Id = spec.Identifier.ToLowerInvariant(), Spec = spec, Password = spec.MasterUserPassword.Value, ReadsLeft = ReadsToSettle };
        foreach (var (k, v) in spec.Tags) i.Tags[k] = v;
        i.Pending["MasterUserPassword"] = "****";
        _instances[i.Id] = i;
        return Task.FromResult(View(i));
    }

    public Task<RdsDbInstance> ModifyDbInstanceAsync(RdsDbInstanceChanges c, CancellationToken ct)
    {
        var what = new List<string>();
        if (c.InstanceClass is { } cls) what.Add($"class {cls}");
        if (c.AllocatedStorage is { } gb) what.Add($"storage {gb}");
        if (c.BackupRetentionPeriod is { } days) what.Add($"backup {days}");
        if (c.EngineVersion is { } ver) what.Add($"version {ver}{(c.AllowMajorVersionUpgrade == true ? " (major allowed)" : "")}");
        if (c.VpcSecurityGroupIds is { } sgs) what.Add($"sg {string.Join(",", sgs)}");
        if (c.MasterUserPassword is { } pw) what.Add($"password {pw}");
        if (c.DeletionProtection is { } dp) what.Add($"deletion-protection {dp}");
        if (c.MultiAz is { } az) what.Add($"multi-az {az}");
        if (c.PubliclyAccessible is { } pub) what.Add($"public {pub}");
        Mutating("ModifyDBInstance", $"{c.Identifier} {(c.ApplyImmediately ? "now" : "in window")}: {string.Join(", ", what)}");
        var i = Existing("ModifyDBInstance", c.Identifier);
        if (i.Status is "creating" or "deleting")
            throw Refused("ModifyDBInstance", "InvalidDBInstanceState", $"Database instance is not in available state ({i.Status}).", HttpStatusCode.BadRequest);
        if (c.AllocatedStorage < i.Spec.AllocatedStorage)
            throw Refused("ModifyDBInstance", "InvalidParameterCombination", "Invalid storage size: storage can only be increased.", HttpStatusCode.BadRequest);
        if (c.EngineVersion is { } ev && ev.Split('.')[0] != i.Spec.EngineVersion.Split('.')[0] && c.AllowMajorVersionUpgrade != true)
            throw Refused("ModifyDBInstance", "InvalidParameterCombination", "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.", HttpStatusCode.BadRequest);
        // Always at once, whatever ApplyImmediately says (as RDS does): deletion protection and the security groups.
        i.Spec = i.Spec with
        {
            DeletionProtection = c.DeletionProtection ?? i.Spec.DeletionProtection,
            VpcSecurityGroupIds = c.VpcSecurityGroupIds ?? i.Spec.VpcSecurityGroupIds,
            PubliclyAccessible = c.PubliclyAccessible ?? i.Spec.PubliclyAccessible,
        };
        var changes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (c.InstanceClass is { } a) changes["DBInstanceClass"] = a;
        if (c.AllocatedStorage is { } b) changes["AllocatedStorage"] = b.ToString();
        if (c.BackupRetentionPeriod is { } d) changes["BackupRetentionPeriod"] = d.ToString();
        if (c.EngineVersion is { } e) changes["EngineVersion"] = e;
        if (c.MultiAz is { } m) changes["MultiAZ"] = m ? "true" : "false";
        if (c.MasterUserPassword is { } p) i.Password = p.Value;
        if (c.ApplyImmediately)
        {
            Apply(i, changes);
            if (changes.Count > 0 || c.MasterUserPassword is not null) (i.Status, i.ReadsLeft) = ("modifying", 1);
        }
        else foreach (var (k, v) in changes) i.Pending[k] = v;
        return Task.FromResult(View(i));
    }

    public Task<RdsDbInstance> DeleteDbInstanceAsync(string identifier, string? finalSnapshotIdentifier, CancellationToken ct)
    {
        Mutating("DeleteDBInstance", $"{identifier} final snapshot {finalSnapshotIdentifier ?? "none"}");
        var i = Existing("DeleteDBInstance", identifier);
        if (i.Spec.DeletionProtection)
            throw Refused("DeleteDBInstance", "InvalidParameterCombination", "Cannot delete protected DB Instance, please disable deletion protection and try again.", HttpStatusCode.BadRequest);
        if (i.Status is "creating" or "deleting")
            throw Refused("DeleteDBInstance", "InvalidDBInstanceState", $"Instance {identifier} is currently {i.Status}.", HttpStatusCode.BadRequest);
        if (finalSnapshotIdentifier is not null)
        {
            if (_snapshots.Contains(finalSnapshotIdentifier))
                throw Refused("DeleteDBInstance", "DBSnapshotAlreadyExists", $"Cannot create the snapshot because a snapshot with the identifier {finalSnapshotIdentifier} already exists.", HttpStatusCode.BadRequest);
            _snapshots.Add(finalSnapshotIdentifier);
        }
        (i.Status, i.ReadsLeft) = ("deleting", ReadsToSettle);
        return Task.FromResult(View(i));
    }

    public Task<IReadOnlyList<RdsSubnetGroup>> DescribeDbSubnetGroupsAsync(string? name, CancellationToken ct)
    {
        Reading();
        var found = _groups.Values.Where(g => name is null || string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(g => g.Name, StringComparer.Ordinal).Select(View).ToList();
        return Task.FromResult<IReadOnlyList<RdsSubnetGroup>>(found);
    }

    public Task<RdsSubnetGroup> CreateDbSubnetGroupAsync(string name, string description, IReadOnlyList<string> subnetIds, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateDBSubnetGroup", $"{name} {string.Join(",", subnetIds)}");
        if (_groups.ContainsKey(name)) throw Refused("CreateDBSubnetGroup", "DBSubnetGroupAlreadyExists", $"The DB subnet group '{name}' already exists.", HttpStatusCode.BadRequest);
        CheckSubnets("CreateDBSubnetGroup", subnetIds);
        var group = new Group(name.ToLowerInvariant(), description, [.. subnetIds], new(tags, StringComparer.Ordinal));
        _groups[group.Name] = group;
        return Task.FromResult(View(group));
    }

    public Task<RdsSubnetGroup> ModifyDbSubnetGroupAsync(string name, string? description, IReadOnlyList<string> subnetIds, CancellationToken ct)
    {
        Mutating("ModifyDBSubnetGroup", $"{name} {string.Join(",", subnetIds)}");
        var group = _groups.GetValueOrDefault(name) ?? throw GroupNotFound("ModifyDBSubnetGroup", name);
        CheckSubnets("ModifyDBSubnetGroup", subnetIds);
        group.Subnets = [.. subnetIds];
        if (description is not null) group.Description = description;
        return Task.FromResult(View(group));
    }

    public Task DeleteDbSubnetGroupAsync(string name, CancellationToken ct)
    {
        Mutating("DeleteDBSubnetGroup", name);
        if (!_groups.ContainsKey(name)) throw GroupNotFound("DeleteDBSubnetGroup", name);
        if (_instances.Values.Any(i => string.Equals(i.Spec.SubnetGroupName, name, StringComparison.OrdinalIgnoreCase)))
            throw Refused("DeleteDBSubnetGroup", "InvalidDBSubnetGroupStateFault", $"Cannot delete the subnet group '{name}' because at least one database instance is still using it.", HttpStatusCode.BadRequest);
        _groups.Remove(name);
        return Task.CompletedTask;
    }

    public Task AddTagsToResourceAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("AddTagsToResource", resourceArn);
        var instance = _instances.Values.FirstOrDefault(i => InstanceArn(i.Id) == resourceArn);
        var target = instance?.Tags ?? _groups.Values.FirstOrDefault(g => GroupArn(g.Name) == resourceArn)?.Tags
            ?? throw Refused("AddTagsToResource", "DBInstanceNotFound", $"{resourceArn} not found.", HttpStatusCode.NotFound);
        foreach (var (k, v) in tags) target[k] = v;
        return Task.CompletedTask;
    }

    private void Settle(Instance i)
    {
        if (i.Status is "available" || --i.ReadsLeft > 0) return;
        if (i.Status == "deleting") _instances.Remove(i.Id);
        else
        {
            i.Status = "available";
            i.Pending.Remove("MasterUserPassword");
        }
    }

    private static void Apply(Instance i, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (k, v) in values)
        {
            i.Spec = k switch
            {
                "DBInstanceClass" => i.Spec with { InstanceClass = v },
                "AllocatedStorage" => i.Spec with { AllocatedStorage = int.Parse(v) },
                "BackupRetentionPeriod" => i.Spec with { BackupRetentionPeriod = int.Parse(v) },
                "EngineVersion" => i.Spec with { EngineVersion = v },
                "MultiAZ" => i.Spec with { MultiAz = v == "true" },
                _ => i.Spec,
            };
            i.Pending.Remove(k);
        }
    }

    private void CheckSubnets(string call, IReadOnlyList<string> subnetIds)
    {
        if (subnetIds.Count < 2)
            throw Refused(call, "DBSubnetGroupDoesNotCoverEnoughAZs", "The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement.", HttpStatusCode.BadRequest);
    }

    private Instance Existing(string call, string identifier) => _instances.GetValueOrDefault(identifier)
        ?? throw Refused(call, "DBInstanceNotFound", $"DBInstance {identifier} not found.", HttpStatusCode.NotFound);

    private static AwsApiException GroupNotFound(string call, string name) =>
        Refused(call, "DBSubnetGroupNotFoundFault", $"DB subnet group '{name}' not found.", HttpStatusCode.NotFound);

    private string InstanceArn(string id) => $"arn:aws:rds:{region}:{accountId}:db:{id}";
    private string GroupArn(string name) => $"arn:aws:rds:{region}:{accountId}:subgrp:{name}";

    private RdsDbInstance View(Instance i) => new(
        i.Id, InstanceArn(i.Id), i.Spec.InstanceClass, i.Spec.Engine, i.Spec.EngineVersion, i.Status,
        i.Status == "creating" ? null : $"{i.Id}.abcdefghijkl.{region}.rds.amazonaws.com", i.Status == "creating" ? null : 5432,
        i.Spec.AllocatedStorage, i.Spec.StorageEncrypted, i.Spec.KmsKeyId, i.Spec.BackupRetentionPeriod, i.Spec.SubnetGroupName.ToLowerInvariant(),
        [.. i.Spec.VpcSecurityGroupIds], i.Spec.MasterUsername, i.Spec.MultiAz, i.Spec.PubliclyAccessible, i.Spec.DeletionProtection,
        i.Pending.Keys.Order(StringComparer.Ordinal).ToList(), new SortedDictionary<string, string>(i.Tags, StringComparer.Ordinal),
        i.Pending.Where(p => p.Key != "MasterUserPassword").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    private RdsSubnetGroup View(Group g) => new(g.Name, g.Description, VpcId, "Complete", GroupArn(g.Name), [.. g.Subnets], g.Subnets.Select(_ => "").ToList());

    private static AwsApiException Refused(string call, string code, string message, HttpStatusCode status) =>
        new(ErrorCodes.AwsApiRefused, $"RDS {call}", code, message, status, "fake-request", 1,
            $"RDS {call} was refused by AWS: {code}: {message} (HTTP {(int)status}).");

    protected override Exception InjectedFailure(string call, string code) => Refused(call, code, "injected failure", HttpStatusCode.InternalServerError);
}
