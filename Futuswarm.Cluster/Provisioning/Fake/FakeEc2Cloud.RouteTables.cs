using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

public sealed partial class FakeEc2Cloud
{
    private sealed record Route(string Destination, string Target);

    private sealed record Association(string Id, string? SubnetId, bool Main);

    private sealed class RouteTable(string id, string vpcId, Dictionary<string, string> tags)
    {
        public string Id { get; } = id;
        public string VpcId { get; } = vpcId;
        public List<Route> Routes { get; } = [];
        public List<Association> Associations { get; } = [];
        public Dictionary<string, string> Tags { get; } = tags;
        public bool IsMain => Associations.Any(a => a.Main);
    }

    private readonly Dictionary<string, RouteTable> _routeTables = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<RouteTableInfo>> DescribeRouteTablesAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        Reading();
        IReadOnlyList<RouteTableInfo> found = _routeTables.Values
            .Where(t => FakeEc2Filters.Match("DescribeRouteTables", filters, t.Tags, new Dictionary<string, IEnumerable<string?>>
            {
                ["route-table-id"] = [t.Id],
                ["vpc-id"] = [t.VpcId],
                ["association.subnet-id"] = t.Associations.Select(a => a.SubnetId),
                ["association.main"] = [t.IsMain ? "true" : "false"],
            }))
            .Where(t => Visible(t.Id))
            .Select(Info).ToList();
        return Task.FromResult(found);
    }

    public Task<RouteTableInfo> CreateRouteTableAsync(string vpcId, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateRouteTable", vpcId);
        var vpc = RequireVpc("CreateRouteTable", vpcId);
        var table = new RouteTable(NewId("rtb"), vpcId, Copy(tags));
        table.Routes.Add(new Route(vpc.Cidr, "local"));
        _routeTables[table.Id] = table;
        return Task.FromResult(Info(table));
    }

    public Task CreateRouteAsync(string routeTableId, string destinationCidrBlock, string gatewayId, CancellationToken ct)
    {
        Mutating("CreateRoute", $"{routeTableId} {destinationCidrBlock} {gatewayId}");
        var table = RequireRouteTable("CreateRoute", routeTableId);
        CheckRouteTarget("CreateRoute", table, gatewayId);
        if (table.Routes.Any(r => r.Destination == destinationCidrBlock))
            throw Error("CreateRoute", "RouteAlreadyExists", $"The route identified by {destinationCidrBlock} already exists.");
        table.Routes.Add(new Route(destinationCidrBlock, gatewayId));
        return Task.CompletedTask;
    }

    public Task ReplaceRouteAsync(string routeTableId, string destinationCidrBlock, string gatewayId, CancellationToken ct)
    {
        Mutating("ReplaceRoute", $"{routeTableId} {destinationCidrBlock} {gatewayId}");
        var table = RequireRouteTable("ReplaceRoute", routeTableId);
        CheckRouteTarget("ReplaceRoute", table, gatewayId);
        var index = table.Routes.FindIndex(r => r.Destination == destinationCidrBlock);
        if (index < 0)
            throw Error("ReplaceRoute", "InvalidRoute.NotFound", $"no route with destination-cidr-block {destinationCidrBlock} in route table {routeTableId}");
        table.Routes[index] = new Route(destinationCidrBlock, gatewayId);
        return Task.CompletedTask;
    }

    public Task<string> AssociateRouteTableAsync(string routeTableId, string subnetId, CancellationToken ct)
    {
        Mutating("AssociateRouteTable", $"{routeTableId} {subnetId}");
        var table = RequireRouteTable("AssociateRouteTable", routeTableId);
        var subnet = RequireSubnet("AssociateRouteTable", subnetId);
        if (subnet.VpcId != table.VpcId)
            throw Error("AssociateRouteTable", "InvalidParameterValue", $"route table {routeTableId} and subnet {subnetId} belong to different networks");
        if (_routeTables.Values.Any(t => t.Associations.Any(a => a.SubnetId == subnetId)))
            throw Error("AssociateRouteTable", "Resource.AlreadyAssociated", $"the specified association for route table {routeTableId} conflicts with an existing association");
        var association = new Association(NewId("rtbassoc"), subnetId, false);
        table.Associations.Add(association);
        return Task.FromResult(association.Id);
    }

    public Task DisassociateRouteTableAsync(string associationId, CancellationToken ct)
    {
        Mutating("DisassociateRouteTable", associationId);
        var table = _routeTables.Values.FirstOrDefault(t => t.Associations.Any(a => a.Id == associationId && !a.Main))
            ?? throw Error("DisassociateRouteTable", "InvalidAssociationID.NotFound", $"The association ID '{associationId}' does not exist");
        table.Associations.RemoveAll(a => a.Id == associationId);
        return Task.CompletedTask;
    }

    public Task DeleteRouteTableAsync(string routeTableId, CancellationToken ct)
    {
        Mutating("DeleteRouteTable", routeTableId);
        var table = RequireRouteTable("DeleteRouteTable", routeTableId);
        if (table.Associations.Count > 0)
            throw Error("DeleteRouteTable", "DependencyViolation", $"The routeTable '{routeTableId}' has dependencies and cannot be deleted.");
        _routeTables.Remove(routeTableId);
        return Task.CompletedTask;
    }

    /// <summary>EC2 takes a route only to a gateway attached to the table's VPC.</summary>
    private void CheckRouteTarget(string call, RouteTable table, string gatewayId)
    {
        var gateway = RequireGateway(call, gatewayId);
        if (gateway.VpcId != table.VpcId)
            throw Error(call, "InvalidParameterValue", $"route table {table.Id} and network gateway {gatewayId} belong to different networks");
    }

    private RouteTableInfo Info(RouteTable t) => new(t.Id, t.VpcId,
        t.Routes.Select(r => new RouteInfo(r.Destination, r.Target, RouteState(t, r))).ToList(),
        t.Associations.Select(a => new RouteTableAssociationInfo(a.Id, a.SubnetId, a.Main)).ToList(),
        Snapshot(t.Tags));

    /// <summary>A route to a gateway that is gone or detached is a blackhole, as EC2 shows it.</summary>
    private string RouteState(RouteTable t, Route r) =>
        r.Target == "local" || _gateways.GetValueOrDefault(r.Target)?.VpcId == t.VpcId ? "active" : "blackhole";

    private RouteTable RequireRouteTable(string call, string id) =>
        _routeTables.TryGetValue(id, out var t) && Visible(id) ? t
            : throw Error(call, "InvalidRouteTableID.NotFound", $"The routeTable ID '{id}' does not exist");
}
