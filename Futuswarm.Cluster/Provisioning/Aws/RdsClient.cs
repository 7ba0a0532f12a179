using System.Xml.Linq;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>IRdsApi over the RDS Query API (2014-10-31) of one region. List parameters use RDS's own member names.</summary>
public sealed class RdsClient(AwsHttpTransport transport, AwsEndpoint endpoint) : IRdsApi
{
    public const string Version = "2014-10-31";
    private readonly AwsQueryClient _query = new(transport, endpoint);

    public RdsClient(AwsHttpTransport transport, string region) : this(transport, AwsEndpoint.Rds(region)) { }

    public async Task<IReadOnlyList<RdsDbInstance>> DescribeDbInstancesAsync(string? identifier, CancellationToken ct)
    {
        try
        {
            // A filter (not DBInstanceIdentifier) so that "none" is an empty page rather than an error.
            return await _query.CallPagesAsync(() =>
                {
                    var form = Form("DescribeDBInstances");
                    if (identifier is not null)
                        form.Add("Filters.Filter.1.Name", "db-instance-id").Add("Filters.Filter.1.Values.Value.1", identifier);
                    return form;
                }, "Marker",
                r => r.Items("DBInstances", "DBInstance").Select(ReadInstance), ct);
        }
        catch (AwsApiException e) when (e.AwsCode == "DBInstanceNotFound")
        {
            return [];
        }
    }

    public Task<RdsDbInstance> CreateDbInstanceAsync(RdsDbInstanceSpec spec, CancellationToken ct)
    {
        CheckPassword("CreateDBInstance", spec.MasterUserPassword);
        if (string.IsNullOrWhiteSpace(spec.MasterUsername))
            throw new FswException(ErrorCodes.AwsRequestInvalid, $"RDS CreateDBInstance {spec.Identifier}: the master username is empty.");
        var form = Form("CreateDBInstance")
            .Add("DBInstanceIdentifier", spec.Identifier)
            .Add("DBInstanceClass", spec.InstanceClass)
            .Add("Engine", spec.Engine)
            .Add("EngineVersion", spec.EngineVersion)
            .Add("AllocatedStorage", spec.AllocatedStorage)
            .Add("StorageType", spec.StorageType)
            .Add("StorageEncrypted", spec.StorageEncrypted)
            .Add("KmsKeyId", spec.KmsKeyId)
            .Add("BackupRetentionPeriod", spec.BackupRetentionPeriod)
            .Add("DBSubnetGroupName", spec.SubnetGroupName)
            .AddList("VpcSecurityGroupIds.VpcSecurityGroupId", spec.VpcSecurityGroupIds)
            .Add("DBName", spec.DbName)
            .Add("MultiAZ", spec.MultiAz)
            .Add("PubliclyAccessible", spec.PubliclyAccessible)
            .Add("DeletionProtection", spec.DeletionProtection)
            .Add("CopyTagsToSnapshot", true)
            .Add("MasterUsername", spec.MasterUsername)
            .AddSecret("MasterUserPassword", spec.MasterUserPassword.Value)
            .AddTags("Tags.Tag", spec.Tags);
        return _query.CallAsync(form, r => ReadInstance(r.Child("DBInstance") ?? throw Missing(r, "DBInstance")), ct);
    }

    public Task<RdsDbInstance> ModifyDbInstanceAsync(RdsDbInstanceChanges changes, CancellationToken ct)
    {
        var form = Form("ModifyDBInstance")
            .Add("DBInstanceIdentifier", changes.Identifier)
            .Add("ApplyImmediately", changes.ApplyImmediately)
            .Add("DBInstanceClass", changes.InstanceClass)
            .Add("AllocatedStorage", changes.AllocatedStorage)
            .Add("BackupRetentionPeriod", changes.BackupRetentionPeriod)
            .Add("EngineVersion", changes.EngineVersion)
            .Add("AllowMajorVersionUpgrade", changes.AllowMajorVersionUpgrade)
            .Add("DeletionProtection", changes.DeletionProtection)
            .Add("MultiAZ", changes.MultiAz)
            .Add("PubliclyAccessible", changes.PubliclyAccessible)
            .AddList("VpcSecurityGroupIds.VpcSecurityGroupId", changes.VpcSecurityGroupIds ?? []);
        if (changes.MasterUserPassword is { } password)
        {
            CheckPassword("ModifyDBInstance", password);
            form.AddSecret("MasterUserPassword", password.Value);
        }
        return _query.CallAsync(form, r => ReadInstance(r.Child("DBInstance") ?? throw Missing(r, "DBInstance")), ct);
    }

    public Task<RdsDbInstance> DeleteDbInstanceAsync(string identifier, string? finalSnapshotIdentifier, CancellationToken ct) =>
        _query.CallAsync(Form("DeleteDBInstance")
                .Add("DBInstanceIdentifier", identifier)
                .Add("FinalDBSnapshotIdentifier", finalSnapshotIdentifier)
                .Add("SkipFinalSnapshot", finalSnapshotIdentifier is null),
            r => ReadInstance(r.Child("DBInstance") ?? throw Missing(r, "DBInstance")), ct);

    public async Task<IReadOnlyList<RdsSubnetGroup>> DescribeDbSubnetGroupsAsync(string? name, CancellationToken ct)
    {
        try
        {
            return await _query.CallPagesAsync(() => Form("DescribeDBSubnetGroups").Add("DBSubnetGroupName", name), "Marker",
                r => r.Items("DBSubnetGroups", "DBSubnetGroup").Select(ReadSubnetGroup), ct);
        }
        catch (AwsApiException e) when (e.AwsCode == "DBSubnetGroupNotFoundFault")
        {
            return [];
        }
    }

    public Task<RdsSubnetGroup> CreateDbSubnetGroupAsync(string name, string description, IReadOnlyList<string> subnetIds, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        _query.CallAsync(Form("CreateDBSubnetGroup")
                .Add("DBSubnetGroupName", name)
                .Add("DBSubnetGroupDescription", description)
                .AddList("SubnetIds.SubnetIdentifier", subnetIds)
                .AddTags("Tags.Tag", tags),
            r => ReadSubnetGroup(r.Child("DBSubnetGroup") ?? throw Missing(r, "DBSubnetGroup")), ct);

    public Task<RdsSubnetGroup> ModifyDbSubnetGroupAsync(string name, string? description, IReadOnlyList<string> subnetIds, CancellationToken ct) =>
        _query.CallAsync(Form("ModifyDBSubnetGroup")
                .Add("DBSubnetGroupName", name)
                .Add("DBSubnetGroupDescription", description)
                .AddList("SubnetIds.SubnetIdentifier", subnetIds),
            r => ReadSubnetGroup(r.Child("DBSubnetGroup") ?? throw Missing(r, "DBSubnetGroup")), ct);

    public Task DeleteDbSubnetGroupAsync(string name, CancellationToken ct) =>
        _query.CallAsync(Form("DeleteDBSubnetGroup").Add("DBSubnetGroupName", name), ct);

    public Task AddTagsToResourceAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        _query.CallAsync(Form("AddTagsToResource").Add("ResourceName", resourceArn).AddTags("Tags.Tag", tags), ct);

    /// <summary>RDS's rule for master passwords: 8 to 128 printable ASCII characters other than / " @ and space.</summary>
    private static void CheckPassword(string action, RdsPassword password)
    {
        var v = password.Value;
        if (v.Length is < 8 or > 128 || v.Any(c => c is < '!' or > '~' or '/' or '"' or '@'))
            throw new FswException(ErrorCodes.AwsRequestInvalid,
                $"RDS {action}: the master password must be 8 to 128 printable ASCII characters other than / \" @ and space (the password is not shown).");
    }

    private static RdsDbInstance ReadInstance(XElement i) => new(
        i.Required("DBInstanceIdentifier"),
        i.Text("DBInstanceArn"),
        i.Text("DBInstanceClass") ?? "",
        i.Text("Engine") ?? "",
        i.Text("EngineVersion"),
        i.Text("DBInstanceStatus") ?? "",
        i.Child("Endpoint")?.Text("Address"),
        i.Child("Endpoint")?.Int("Port"),
        i.Int("AllocatedStorage"),
        i.Bool("StorageEncrypted"),
        i.Text("KmsKeyId"),
        i.Int("BackupRetentionPeriod"),
        i.Child("DBSubnetGroup")?.Text("DBSubnetGroupName"),
        i.Items("VpcSecurityGroups", "VpcSecurityGroupMembership").Select(m => m.Required("VpcSecurityGroupId")).ToList(),
        i.Text("MasterUsername"),
        i.Bool("MultiAZ"),
        i.Bool("PubliclyAccessible"),
        i.Bool("DeletionProtection"),
        i.Child("PendingModifiedValues")?.Elements().Select(e => e.Name.LocalName).ToList() ?? [],
        i.Tags("TagList", "Tag"),
        // Leaf values only: the pending password is a flag (its value is never sent back), nested ones are left out.
        i.Child("PendingModifiedValues")?.Elements().Where(e => !e.HasElements && e.Name.LocalName != "MasterUserPassword")
            .ToDictionary(e => e.Name.LocalName, e => e.Value.Trim(), StringComparer.Ordinal));

    private static RdsSubnetGroup ReadSubnetGroup(XElement g)
    {
        var subnets = g.Items("Subnets", "Subnet");
        return new RdsSubnetGroup(
            g.Required("DBSubnetGroupName"),
            g.Text("DBSubnetGroupDescription"),
            g.Text("VpcId"),
            g.Text("SubnetGroupStatus"),
            g.Text("DBSubnetGroupArn"),
            subnets.Select(s => s.Required("SubnetIdentifier")).ToList(),
            subnets.Select(s => s.Child("SubnetAvailabilityZone")?.Text("Name") ?? "").ToList());
    }

    private static AwsQueryForm Form(string action) => new(action, Version);

    private static FormatException Missing(XElement parent, string name) => new($"<{parent.Name.LocalName}> has no <{name}>");
}
