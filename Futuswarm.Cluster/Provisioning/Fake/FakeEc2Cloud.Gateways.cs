using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

public sealed partial class FakeEc2Cloud
{
    private sealed class Gateway(string id, Dictionary<string, string> tags)
    {
        public string Id { get; } = id;
        public string? VpcId { get; set; }
        public Dictionary<string, string> Tags { get; } = tags;
    }

    private readonly Dictionary<string, Gateway> _gateways = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<InternetGatewayInfo>> DescribeInternetGatewaysAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        Reading();
        IReadOnlyList<InternetGatewayInfo> found = _gateways.Values
            .Where(g => FakeEc2Filters.Match("DescribeInternetGateways", filters, g.Tags, new Dictionary<string, IEnumerable<string?>>
            {
                ["internet-gateway-id"] = [g.Id],
                ["attachment.vpc-id"] = [g.VpcId],
            }))
            .Where(g => Visible(g.Id))
            .Select(Info).ToList();
        return Task.FromResult(found);
    }

    public Task<InternetGatewayInfo> CreateInternetGatewayAsync(IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateInternetGateway", "");
        var gateway = new Gateway(NewId("igw"), Copy(tags));
        _gateways[gateway.Id] = gateway;
        return Task.FromResult(Info(gateway));
    }

    public Task AttachInternetGatewayAsync(string internetGatewayId, string vpcId, CancellationToken ct)
    {
        Mutating("AttachInternetGateway", $"{internetGatewayId} {vpcId}");
        var gateway = RequireGateway("AttachInternetGateway", internetGatewayId);
        RequireVpc("AttachInternetGateway", vpcId);
        if (gateway.VpcId is not null)
            throw Error("AttachInternetGateway", "Resource.AlreadyAssociated", $"resource {internetGatewayId} is already attached to network {gateway.VpcId}");
        if (_gateways.Values.Any(g => g.VpcId == vpcId))
            throw Error("AttachInternetGateway", "InvalidParameterValue", $"Network {vpcId} already has an internet gateway attached");
        gateway.VpcId = vpcId;
        return Task.CompletedTask;
    }

    public Task DetachInternetGatewayAsync(string internetGatewayId, string vpcId, CancellationToken ct)
    {
        Mutating("DetachInternetGateway", $"{internetGatewayId} {vpcId}");
        var gateway = RequireGateway("DetachInternetGateway", internetGatewayId);
        if (gateway.VpcId != vpcId)
            throw Error("DetachInternetGateway", "Gateway.NotAttached", $"resource {internetGatewayId} is not attached to network {vpcId}");
        gateway.VpcId = null;
        return Task.CompletedTask;
    }

    public Task DeleteInternetGatewayAsync(string internetGatewayId, CancellationToken ct)
    {
        Mutating("DeleteInternetGateway", internetGatewayId);
        var gateway = RequireGateway("DeleteInternetGateway", internetGatewayId);
        if (gateway.VpcId is not null)
            throw Error("DeleteInternetGateway", "DependencyViolation", $"The internetGateway '{internetGatewayId}' has dependencies and cannot be deleted.");
        _gateways.Remove(internetGatewayId);
        return Task.CompletedTask;
    }

    private static InternetGatewayInfo Info(Gateway g) =>
        new(g.Id, g.VpcId is null ? [] : [new GatewayAttachment(g.VpcId, "available")], Snapshot(g.Tags));

    private Gateway RequireGateway(string call, string id) =>
        _gateways.TryGetValue(id, out var g) && Visible(id) ? g
            : throw Error(call, "InvalidInternetGatewayID.NotFound", $"The internetGateway ID '{id}' does not exist");
}
