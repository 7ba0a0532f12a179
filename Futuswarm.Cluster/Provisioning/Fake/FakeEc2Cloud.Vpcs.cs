using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

public sealed partial class FakeEc2Cloud
{
    private sealed class Vpc(string id, string cidr, Dictionary<string, string> tags)
    {
        public string Id { get; } = id;
        public string Cidr { get; } = cidr;
        public bool DnsSupport { get; set; } = true;
        public bool DnsHostnames { get; set; }
        public Dictionary<string, string> Tags { get; } = tags;
    }

    private readonly Dictionary<string, Vpc> _vpcs = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<VpcInfo>> DescribeVpcsAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        Reading();
        IReadOnlyList<VpcInfo> found = _vpcs.Values
            .Where(v => FakeEc2Filters.Match("DescribeVpcs", filters, v.Tags, new Dictionary<string, IEnumerable<string?>>
            {
                ["vpc-id"] = [v.Id],
                ["cidr-block"] = [v.Cidr],
            }))
            .Where(v => Visible(v.Id))
            .Select(v => new VpcInfo(v.Id, v.Cidr, "available", Snapshot(v.Tags))).ToList();
        return Task.FromResult(found);
    }

    public Task<bool> DescribeVpcAttributeAsync(string vpcId, VpcAttribute attribute, CancellationToken ct)
    {
        Reading();
        var vpc = RequireVpc("DescribeVpcAttribute", vpcId);
        return Task.FromResult(attribute == VpcAttribute.EnableDnsSupport ? vpc.DnsSupport : vpc.DnsHostnames);
    }

    public Task<VpcInfo> CreateVpcAsync(string cidrBlock, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateVpc", cidrBlock);
        var vpc = new Vpc(NewId("vpc"), cidrBlock, Copy(tags));
        _vpcs[vpc.Id] = vpc;
        // As EC2 does: every VPC comes with an untagged main route table and a default security group.
        var main = new RouteTable(NewId("rtb"), vpc.Id, []);
        main.Routes.Add(new Route(cidrBlock, "local"));
        main.Associations.Add(new Association(NewId("rtbassoc"), null, true));
        _routeTables[main.Id] = main;
        var defaultGroup = new Group(NewId("sg"), "default", "default VPC security group", vpc.Id, []);
        defaultGroup.Ingress.Add(new IngressRule("-1", -1, -1, null, defaultGroup.Id));
        _groups[defaultGroup.Id] = defaultGroup;
        return Task.FromResult(new VpcInfo(vpc.Id, cidrBlock, "pending", Snapshot(vpc.Tags)));
    }

    public Task ModifyVpcAttributeAsync(string vpcId, VpcAttribute attribute, bool value, CancellationToken ct)
    {
        Mutating("ModifyVpcAttribute", $"{vpcId} {attribute}={value}");
        var vpc = RequireVpc("ModifyVpcAttribute", vpcId);
        if (attribute == VpcAttribute.EnableDnsSupport) vpc.DnsSupport = value;
        else if (value && !vpc.DnsSupport)
            throw Error("ModifyVpcAttribute", "InvalidParameterValue", "DNS hostnames need DNS support");
        else vpc.DnsHostnames = value;
        return Task.CompletedTask;
    }

    public Task DeleteVpcAsync(string vpcId, CancellationToken ct)
    {
        Mutating("DeleteVpc", vpcId);
        RequireVpc("DeleteVpc", vpcId);
        var dependents = _subnets.Values.Where(s => s.VpcId == vpcId).Select(s => s.Id)
            .Concat(_gateways.Values.Where(g => g.VpcId == vpcId).Select(g => g.Id))
            .Concat(_routeTables.Values.Where(t => t.VpcId == vpcId && !t.IsMain).Select(t => t.Id))
            .Concat(_groups.Values.Where(g => g.VpcId == vpcId && g.Name != "default").Select(g => g.Id)).ToList();
        if (dependents.Count > 0)
            throw Error("DeleteVpc", "DependencyViolation", $"The vpc '{vpcId}' has dependencies and cannot be deleted ({string.Join(", ", dependents)}).");
        foreach (var t in _routeTables.Values.Where(t => t.VpcId == vpcId).ToList()) _routeTables.Remove(t.Id);
        foreach (var g in _groups.Values.Where(g => g.VpcId == vpcId).ToList()) _groups.Remove(g.Id);
        _vpcs.Remove(vpcId);
        return Task.CompletedTask;
    }

    public Task CreateTagsAsync(string resourceId, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateTags", $"{resourceId} {string.Join(",", tags.Select(t => $"{t.Key}={t.Value}"))}");
        var target = TagsOf(resourceId) ?? throw Error("CreateTags", "InvalidID", $"The ID '{resourceId}' is not valid");
        foreach (var (key, value) in tags) target[key] = value;
        return Task.CompletedTask;
    }

    /// <summary>Every resource tagged <c>futuswarm:cluster=<paramref name="cluster"/></c>, as "kind id".</summary>
    public override IReadOnlyList<string> Tagged(string cluster)
    {
        bool Ours(Dictionary<string, string> tags) => tags.GetValueOrDefault("futuswarm:cluster") == cluster;
        return _vpcs.Values.Where(v => Ours(v.Tags)).Select(v => "vpc " + v.Id)
            .Concat(_subnets.Values.Where(s => Ours(s.Tags)).Select(s => "subnet " + s.Id))
            .Concat(_reservations.Values.Where(r => Ours(r.Tags)).Select(r => "subnet-cidr-reservation " + r.Id))
            .Concat(_gateways.Values.Where(g => Ours(g.Tags)).Select(g => "internet-gateway " + g.Id))
            .Concat(_routeTables.Values.Where(t => Ours(t.Tags)).Select(t => "route-table " + t.Id))
            .Concat(_groups.Values.Where(g => Ours(g.Tags)).Select(g => "security-group " + g.Id))
            .Concat(_instances.Where(i => i.State != "terminated" && Ours(i.Tags)).Select(i => "instance " + i.Id)).ToList();
    }

    /// <summary>How many resources of any kind the fake holds, the VPCs' own main tables and default groups included.</summary>
    public int ResourceCount => _vpcs.Count + _subnets.Count + _reservations.Count + _gateways.Count + _routeTables.Count + _groups.Count;

    private Dictionary<string, string>? TagsOf(string id) =>
        _vpcs.GetValueOrDefault(id)?.Tags ?? _subnets.GetValueOrDefault(id)?.Tags ?? _gateways.GetValueOrDefault(id)?.Tags
        ?? _routeTables.GetValueOrDefault(id)?.Tags ?? _groups.GetValueOrDefault(id)?.Tags;

    private Vpc RequireVpc(string call, string id) =>
        _vpcs.TryGetValue(id, out var vpc) && Visible(id) ? vpc : throw Error(call, "InvalidVpcID.NotFound", $"The vpc ID '{id}' does not exist");
}
