using Amazon.EC2;
using Amazon.EC2.Model;

namespace Futuswarm.Cluster.Provisioning.Network;

public sealed partial class AwsEc2Network
{
    public async Task<IReadOnlyList<InternetGatewayInfo>> DescribeInternetGatewaysAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        var found = new List<InternetGatewayInfo>();
        var request = new DescribeInternetGatewaysRequest { Filters = Filters(filters) };
        do
        {
            var response = await Call("DescribeInternetGateways", () => client.DescribeInternetGatewaysAsync(request, ct));
            found.AddRange((response.InternetGateways ?? []).Select(Map));
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return found;
    }

    public async Task<InternetGatewayInfo> CreateInternetGatewayAsync(IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var request = new CreateInternetGatewayRequest { TagSpecifications = TagSpecs(ResourceType.InternetGateway, tags) };
        return Map((await Call("CreateInternetGateway", () => client.CreateInternetGatewayAsync(request, ct))).InternetGateway);
    }

    public Task AttachInternetGatewayAsync(string internetGatewayId, string vpcId, CancellationToken ct) =>
        Call("AttachInternetGateway", () => client.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { InternetGatewayId = internetGatewayId, VpcId = vpcId }, ct));

    public Task DetachInternetGatewayAsync(string internetGatewayId, string vpcId, CancellationToken ct) =>
        Call("DetachInternetGateway", () => client.DetachInternetGatewayAsync(new DetachInternetGatewayRequest { InternetGatewayId = internetGatewayId, VpcId = vpcId }, ct));

    public Task DeleteInternetGatewayAsync(string internetGatewayId, CancellationToken ct) =>
        Call("DeleteInternetGateway", () => client.DeleteInternetGatewayAsync(new DeleteInternetGatewayRequest { InternetGatewayId = internetGatewayId }, ct));

    private static InternetGatewayInfo Map(InternetGateway g) => new(g.InternetGatewayId,
        (g.Attachments ?? []).Select(a => new GatewayAttachment(a.VpcId, a.State?.Value ?? "")).ToList(), Tags(g.Tags));

    public async Task<IReadOnlyList<RouteTableInfo>> DescribeRouteTablesAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        var found = new List<RouteTableInfo>();
        var request = new DescribeRouteTablesRequest { Filters = Filters(filters) };
        do
        {
            var response = await Call("DescribeRouteTables", () => client.DescribeRouteTablesAsync(request, ct));
            found.AddRange((response.RouteTables ?? []).Select(Map));
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return found;
    }

    public async Task<RouteTableInfo> CreateRouteTableAsync(string vpcId, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var request = new CreateRouteTableRequest { VpcId = vpcId, TagSpecifications = TagSpecs(ResourceType.RouteTable, tags) };
        return Map((await Call("CreateRouteTable", () => client.CreateRouteTableAsync(request, ct))).RouteTable);
    }

    public Task CreateRouteAsync(string routeTableId, string destinationCidrBlock, string gatewayId, CancellationToken ct) =>
        Call("CreateRoute", () => client.CreateRouteAsync(
            new CreateRouteRequest { RouteTableId = routeTableId, DestinationCidrBlock = destinationCidrBlock, GatewayId = gatewayId }, ct));

    public Task ReplaceRouteAsync(string routeTableId, string destinationCidrBlock, string gatewayId, CancellationToken ct) =>
        Call("ReplaceRoute", () => client.ReplaceRouteAsync(
            new ReplaceRouteRequest { RouteTableId = routeTableId, DestinationCidrBlock = destinationCidrBlock, GatewayId = gatewayId }, ct));

    public async Task<string> AssociateRouteTableAsync(string routeTableId, string subnetId, CancellationToken ct) =>
        (await Call("AssociateRouteTable", () => client.AssociateRouteTableAsync(
            new AssociateRouteTableRequest { RouteTableId = routeTableId, SubnetId = subnetId }, ct))).AssociationId;

    public Task DisassociateRouteTableAsync(string associationId, CancellationToken ct) =>
        Call("DisassociateRouteTable", () => client.DisassociateRouteTableAsync(new DisassociateRouteTableRequest { AssociationId = associationId }, ct));

    public Task DeleteRouteTableAsync(string routeTableId, CancellationToken ct) =>
        Call("DeleteRouteTable", () => client.DeleteRouteTableAsync(new DeleteRouteTableRequest { RouteTableId = routeTableId }, ct));

    private static RouteTableInfo Map(RouteTable t) => new(t.RouteTableId, t.VpcId,
        (t.Routes ?? []).Where(r => r.DestinationCidrBlock is not null)
            .Select(r => new RouteInfo(r.DestinationCidrBlock, r.GatewayId, r.State?.Value ?? "")).ToList(),
        (t.Associations ?? []).Select(a => new RouteTableAssociationInfo(a.RouteTableAssociationId, a.SubnetId, a.Main ?? false)).ToList(),
        Tags(t.Tags));
}
