using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>
/// The DB subnet group the instance lives in: exactly the cluster's subnets, one per zone, so Multi-AZ has a standby
/// zone and a failover finds the nodes' network. Found by its name (unique per account and region; DescribeDBSubnetGroups
/// returns no tags). A subnet added or removed by hand is put back with one ModifyDBSubnetGroup; a group in another
/// VPC is replaced (which RDS refuses while the instance uses it: the run stops there with nothing changed).
/// </summary>
public sealed class DatabaseSubnetGroupKind(IRdsApi rds, DatabaseSpec spec) : ResourceKind<RdsSubnetGroup>
{
    public const string SubnetField = "subnet";

    public override string Kind => DatabaseAddresses.SubnetGroup.Kind;

    private string Description => $"Futuswarm {spec.Cluster}: PostgreSQL in the cluster's subnets";

    protected override async Task<IReadOnlyList<RdsSubnetGroup>> ObserveAsync(ProvisionContext ctx, CancellationToken ct) =>
        await RdsCalls.Run("DescribeDBSubnetGroups", () => rds.DescribeDbSubnetGroupsAsync(spec.SubnetGroupName, ct));

    protected override string IdOf(RdsSubnetGroup observed) => observed.Name;

    // Found by name, so it is the group whatever else it carries.
    protected override IReadOnlyDictionary<string, string> TagsOf(RdsSubnetGroup observed) =>
        new Dictionary<string, string> { [ClusterTags.Role] = DatabaseAddresses.SubnetGroup.Role };

    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [DatabaseAddresses.SubnetGroup];

    private IEnumerable<ResourceAddress> Subnets => spec.Zones.Select(NetworkAddresses.Subnet);

    public override IReadOnlyList<Change> Diff(ResourceAddress address, RdsSubnetGroup? observed, ProvisionContext ctx)
    {
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("name", spec.SubnetGroupName),
                .. Subnets.Select(s => FieldChange.Add(SubnetField, Named(s, ctx))),
            ])];
        if (ctx.IdOf(NetworkAddresses.Vpc) is { } vpc && observed.VpcId is { } observedVpc && observedVpc != vpc)
            return [new Change(address, ChangeAction.Replace, "a subnet group cannot move to another VPC",
                [new FieldChange("vpc", observedVpc, vpc)])];
        var wanted = Subnets.Select(s => ctx.IdOf(s)).ToList();
        var fields = new List<FieldChange>();
        foreach (var s in Subnets.Where(s => ctx.IdOf(s) is not { } id || !observed.SubnetIds.Contains(id)))
            fields.Add(FieldChange.Add(SubnetField, Named(s, ctx)));
        foreach (var id in observed.SubnetIds.Where(id => !wanted.Contains(id)).Order(StringComparer.Ordinal))
            fields.Add(FieldChange.Remove(SubnetField, ctx.AddressOf(id) is { } a ? $"{a} {id}" : id));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        // Subnets made seconds ago may not be known to RDS yet: InvalidSubnet is retried within the run's bounds.
        var group = await RdsCalls.RunWhile("CreateDBSubnetGroup",
            () => rds.CreateDbSubnetGroupAsync(spec.SubnetGroupName, Description, SubnetIds(ctx), ctx.TagsFor(change.Address), ct),
            ctx.Waits, ct, "InvalidSubnet");
        ctx.Created(change.Address, group.Name, change.Reason);
        return group.Name;
    }

    protected override Task UpdateAsync(Change change, RdsSubnetGroup observed, ProvisionContext ctx, CancellationToken ct) =>
        RdsCalls.Run("ModifyDBSubnetGroup", () => rds.ModifyDbSubnetGroupAsync(observed.Name, null, SubnetIds(ctx), ct));

    protected override async Task DeleteAsync(RdsSubnetGroup observed, ProvisionContext ctx, CancellationToken ct)
    {
        // An instance just deleted may hold the group for a moment: retried then, but not while a live instance uses it
        // (a replace under the instance), which RDS refuses for as long as the instance lives.
        var instance = (await RdsCalls.Run("DescribeDBInstances", () => rds.DescribeDbInstancesAsync(spec.Identifier, ct))).SingleOrDefault();
        string[] retried = instance is null || instance.Status == "deleting" ? ["InvalidDBSubnetGroupStateFault"] : [];
        await RdsCalls.RunWhile("DeleteDBSubnetGroup", async () => { await rds.DeleteDbSubnetGroupAsync(observed.Name, ct); return true; },
            ctx.Waits, ct, retried);
    }

    private List<string> SubnetIds(ProvisionContext ctx) => Subnets.Select(ctx.RequireId).ToList();

    private static string Named(ResourceAddress subnet, ProvisionContext ctx) =>
        ctx.IdOf(subnet) is { } id ? $"{subnet} {id}" : subnet.ToString();
}
