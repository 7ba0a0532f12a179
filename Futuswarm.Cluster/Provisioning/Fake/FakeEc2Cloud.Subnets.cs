using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

public sealed partial class FakeEc2Cloud
{
    private sealed class Subnet(string id, string vpcId, string cidr, string zone, Dictionary<string, string> tags)
    {
        public string Id { get; } = id;
        public string VpcId { get; } = vpcId;
        public string Cidr { get; } = cidr;
        public string Zone { get; } = zone;
        public bool MapPublicIp { get; set; }
        public Dictionary<string, string> Tags { get; } = tags;
    }

    private readonly Dictionary<string, Subnet> _subnets = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<SubnetInfo>> DescribeSubnetsAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        Reading();
        IReadOnlyList<SubnetInfo> found = _subnets.Values
            .Where(s => FakeEc2Filters.Match("DescribeSubnets", filters, s.Tags, new Dictionary<string, IEnumerable<string?>>
            {
                ["subnet-id"] = [s.Id],
                ["vpc-id"] = [s.VpcId],
                ["availability-zone"] = [s.Zone],
                ["cidr-block"] = [s.Cidr],
            }))
            .Where(s => Visible(s.Id))
            .Select(s => new SubnetInfo(s.Id, s.VpcId, s.Cidr, s.Zone, s.MapPublicIp, "available", Snapshot(s.Tags))).ToList();
        return Task.FromResult(found);
    }

    public Task<SubnetInfo> CreateSubnetAsync(string vpcId, string cidrBlock, string availabilityZone, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateSubnet", $"{vpcId} {cidrBlock} {availabilityZone}");
        var vpc = RequireVpc("CreateSubnet", vpcId);
        if (!Zones.Contains(availabilityZone))
            throw Error("CreateSubnet", "InvalidParameterValue", $"Value ({availabilityZone}) for parameter availabilityZone is invalid");
        if (!Cidr.TryParse(cidrBlock, out var cidr) || !Cidr.TryParse(vpc.Cidr, out var range) || !Inside(cidr, range))
            throw Error("CreateSubnet", "InvalidSubnet.Range", $"The CIDR '{cidrBlock}' is invalid.");
        if (_subnets.Values.Any(s => s.VpcId == vpcId && Cidr.TryParse(s.Cidr, out var other) && Overlap(cidr, other)))
            throw Error("CreateSubnet", "InvalidSubnet.Conflict", $"The CIDR '{cidrBlock}' conflicts with another subnet");
        var subnet = new Subnet(NewId("subnet"), vpcId, cidrBlock, availabilityZone, Copy(tags));
        _subnets[subnet.Id] = subnet;
        return Task.FromResult(new SubnetInfo(subnet.Id, vpcId, cidrBlock, availabilityZone, false, "pending", Snapshot(subnet.Tags)));
    }

    public Task ModifySubnetMapPublicIpOnLaunchAsync(string subnetId, bool value, CancellationToken ct)
    {
        Mutating("ModifySubnetAttribute", $"{subnetId} MapPublicIpOnLaunch={value}");
        RequireSubnet("ModifySubnetAttribute", subnetId).MapPublicIp = value;
        return Task.CompletedTask;
    }

    public Task DeleteSubnetAsync(string subnetId, CancellationToken ct)
    {
        Mutating("DeleteSubnet", subnetId);
        RequireSubnet("DeleteSubnet", subnetId);
        // EC2 drops a deleted subnet's route table association with it.
        foreach (var table in _routeTables.Values) table.Associations.RemoveAll(a => a.SubnetId == subnetId);
        // Its reservations go with it (assumed: EC2 documents no refusal for them).
        foreach (var id in _reservations.Values.Where(r => r.SubnetId == subnetId).Select(r => r.Id).ToList()) _reservations.Remove(id);
        _subnets.Remove(subnetId);
        return Task.CompletedTask;
    }

    private Subnet RequireSubnet(string call, string id) =>
        _subnets.TryGetValue(id, out var s) && Visible(id) ? s : throw Error(call, "InvalidSubnetID.NotFound", $"The subnet ID '{id}' does not exist");

    private static bool Inside(Cidr inner, Cidr outer) =>
        inner.Prefix >= outer.Prefix && outer.Network == (inner.Network & Mask(outer.Prefix));

    private static bool Overlap(Cidr a, Cidr b) => Inside(a, b) || Inside(b, a);

    private static uint Mask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
}
