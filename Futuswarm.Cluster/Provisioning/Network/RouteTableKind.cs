using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// The cluster's own route table (the VPC's main table is left as EC2 made it): 0.0.0.0/0 to the internet
/// gateway, associated with every subnet of the cluster. Drift: a missing or wrong default route is set again,
/// a missing association is made, an association with a subnet not in the definition is removed.
/// A cluster subnet associated with another explicit table by hand is not moved (EC2 refuses; FSW6026 says so).
/// </summary>
public sealed class RouteTableKind(IEc2Network ec2, NetworkSpec spec) : ResourceKind<RouteTableInfo>
{
    public const string DefaultRoute = "0.0.0.0/0";
    private const string RouteField = "route " + DefaultRoute;
    private const string AssociationField = "association";

    public override string Kind => "route-table";

    protected override Task<IReadOnlyList<RouteTableInfo>> ObserveAsync(ProvisionContext ctx, CancellationToken ct) =>
        ec2.DescribeRouteTablesAsync(NetworkAddresses.Ours(ctx), ct);

    protected override string IdOf(RouteTableInfo observed) => observed.RouteTableId;
    protected override IReadOnlyDictionary<string, string> TagsOf(RouteTableInfo observed) => observed.Tags;
    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [NetworkAddresses.RouteTable];

    private IEnumerable<string> DesiredAssociations => spec.Zones.Select(z => NetworkAddresses.Subnet(z).ToString());

    public override IReadOnlyList<Change> Diff(ResourceAddress address, RouteTableInfo? observed, ProvisionContext ctx)
    {
        var gateway = NetworkAddresses.InternetGateway.ToString();
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("vpc", NetworkAddresses.Vpc.ToString()),
                FieldChange.Set(RouteField, gateway),
                .. DesiredAssociations.Select(s => FieldChange.Add(AssociationField, s)),
            ])];
        var fields = new List<FieldChange>();
        var route = observed.Routes.FirstOrDefault(r => r.DestinationCidrBlock == DefaultRoute);
        // A blackhole route to our own gateway heals when the gateway is attached again (the kind before this one).
        var target = route is null ? null : Name(route.GatewayId, ctx);
        if (target != gateway) fields.Add(new FieldChange(RouteField, target, gateway));
        var associated = observed.Associations.Where(a => !a.Main && a.SubnetId is not null)
            .Select(a => Name(a.SubnetId, ctx)).ToHashSet(StringComparer.Ordinal);
        fields.AddRange(DesiredAssociations.Where(s => !associated.Contains(s)).Select(s => FieldChange.Add(AssociationField, s)));
        fields.AddRange(associated.Except(DesiredAssociations).Order(StringComparer.Ordinal).Select(s => FieldChange.Remove(AssociationField, s)));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var vpcId = ctx.RequireId(NetworkAddresses.Vpc);
        var table = await Retry.OnEventualConsistencyAsync(
            c => ec2.CreateRouteTableAsync(vpcId, ctx.TagsFor(change.Address), c), Retry.NotFoundYet, ctx.Waits, ct);
        ctx.Created(change.Address, table.RouteTableId, change.Reason);
        await SetRouteAsync(table.RouteTableId, replace: false, ctx, ct);
        foreach (var field in change.Fields.Where(f => f.Field == AssociationField && f.To is not null))
            await AssociateAsync(table.RouteTableId, field.To!, ctx, ct);
        return table.RouteTableId;
    }

    protected override async Task UpdateAsync(Change change, RouteTableInfo observed, ProvisionContext ctx, CancellationToken ct)
    {
        var route = change.Fields.FirstOrDefault(f => f.Field == RouteField);
        if (route is not null) await SetRouteAsync(observed.RouteTableId, replace: route.From is not null, ctx, ct);
        foreach (var field in change.Fields.Where(f => f.Field == AssociationField))
        {
            if (field.To is not null)
                await AssociateAsync(observed.RouteTableId, field.To, ctx, ct);
            else
                foreach (var a in observed.Associations.Where(a => !a.Main && a.SubnetId is not null && Name(a.SubnetId, ctx) == field.From))
                    await ec2.DisassociateRouteTableAsync(a.AssociationId, ct);
        }
        if (TagDiff.Any(change)) await ec2.CreateTagsAsync(observed.RouteTableId, ctx.TagsFor(change.Address), ct);
    }

    protected override async Task DeleteAsync(RouteTableInfo observed, ProvisionContext ctx, CancellationToken ct)
    {
        // EC2 refuses to delete a table that still has subnets.
        foreach (var a in observed.Associations.Where(a => !a.Main))
            await ec2.DisassociateRouteTableAsync(a.AssociationId, ct);
        await Retry.OnEventualConsistencyAsync(c => ec2.DeleteRouteTableAsync(observed.RouteTableId, c), Retry.DependentsGoing, ctx.Waits, ct);
    }

    private Task SetRouteAsync(string tableId, bool replace, ProvisionContext ctx, CancellationToken ct)
    {
        var gatewayId = ctx.RequireId(NetworkAddresses.InternetGateway);
        return Retry.OnEventualConsistencyAsync(
            c => replace ? ec2.ReplaceRouteAsync(tableId, DefaultRoute, gatewayId, c) : ec2.CreateRouteAsync(tableId, DefaultRoute, gatewayId, c),
            Retry.NotFoundYet, ctx.Waits, ct);
    }

    private Task AssociateAsync(string tableId, string subnetAddress, ProvisionContext ctx, CancellationToken ct)
    {
        var subnetId = ctx.RequireId(ResourceAddress.Parse(subnetAddress)!.Value);
        return Retry.OnEventualConsistencyAsync(c => ec2.AssociateRouteTableAsync(tableId, subnetId, c), Retry.NotFoundYet, ctx.Waits, ct);
    }

    private static string Name(string? id, ProvisionContext ctx) =>
        id is null ? "?" : ctx.AddressOf(id)?.ToString() ?? id;
}
