using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

public sealed partial class FakeEc2Cloud
{
    private sealed class Group(string id, string name, string description, string vpcId, Dictionary<string, string> tags)
    {
        public string Id { get; } = id;
        public string Name { get; } = name;
        public string Description { get; } = description;
        public string VpcId { get; } = vpcId;
        public List<IngressRule> Ingress { get; } = [];
        public Dictionary<string, string> Tags { get; } = tags;
    }

    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<SecurityGroupInfo>> DescribeSecurityGroupsAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        Reading();
        IReadOnlyList<SecurityGroupInfo> found = _groups.Values
            .Where(g => FakeEc2Filters.Match("DescribeSecurityGroups", filters, g.Tags, new Dictionary<string, IEnumerable<string?>>
            {
                ["group-id"] = [g.Id],
                ["group-name"] = [g.Name],
                ["vpc-id"] = [g.VpcId],
            }))
            .Where(g => Visible(g.Id))
            .Select(g => new SecurityGroupInfo(g.Id, g.Name, g.Description, g.VpcId, g.Ingress.ToList(), Snapshot(g.Tags))).ToList();
        return Task.FromResult(found);
    }

    public Task<string> CreateSecurityGroupAsync(string vpcId, string groupName, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateSecurityGroup", $"{vpcId} {groupName}");
        RequireVpc("CreateSecurityGroup", vpcId);
        if (_groups.Values.Any(g => g.VpcId == vpcId && g.Name == groupName))
            throw Error("CreateSecurityGroup", "InvalidGroup.Duplicate", $"The security group '{groupName}' already exists for VPC '{vpcId}'");
        var group = new Group(NewId("sg"), groupName, description, vpcId, Copy(tags));
        _groups[group.Id] = group;
        return Task.FromResult(group.Id);
    }

    public Task AuthorizeSecurityGroupIngressAsync(string groupId, IReadOnlyList<IngressRule> rules, CancellationToken ct)
    {
        Mutating("AuthorizeSecurityGroupIngress", $"{groupId} {string.Join(", ", rules)}");
        var group = RequireGroup("AuthorizeSecurityGroupIngress", groupId);
        foreach (var rule in rules)
        {
            if (rule.SourceGroupId is { } source) RequireGroup("AuthorizeSecurityGroupIngress", source);
            if (group.Ingress.Contains(rule))
                throw Error("AuthorizeSecurityGroupIngress", "InvalidPermission.Duplicate", $"the specified rule \"{rule}\" already exists");
        }
        // All or nothing, as EC2 does for one request.
        group.Ingress.AddRange(rules);
        return Task.CompletedTask;
    }

    public Task RevokeSecurityGroupIngressAsync(string groupId, IReadOnlyList<IngressRule> rules, CancellationToken ct)
    {
        Mutating("RevokeSecurityGroupIngress", $"{groupId} {string.Join(", ", rules)}");
        var group = RequireGroup("RevokeSecurityGroupIngress", groupId);
        foreach (var rule in rules)
            if (!group.Ingress.Contains(rule))
                throw Error("RevokeSecurityGroupIngress", "InvalidPermission.NotFound", $"The specified rule \"{rule}\" does not exist in this security group.");
        group.Ingress.RemoveAll(rules.Contains);
        return Task.CompletedTask;
    }

    public Task DeleteSecurityGroupAsync(string groupId, CancellationToken ct)
    {
        Mutating("DeleteSecurityGroup", groupId);
        var group = RequireGroup("DeleteSecurityGroup", groupId);
        if (group.Name == "default")
            throw Error("DeleteSecurityGroup", "CannotDelete", "the specified group: \"default\" name: \"default\" cannot be deleted by a user");
        var referrers = _groups.Values.Where(g => g.Id != groupId && g.Ingress.Any(r => r.SourceGroupId == groupId)).Select(g => g.Id).ToList();
        if (referrers.Count > 0)
            throw Error("DeleteSecurityGroup", "DependencyViolation", $"resource {groupId} has a dependent object ({string.Join(", ", referrers)})");
        _groups.Remove(groupId);
        return Task.CompletedTask;
    }

    private Group RequireGroup(string call, string id) =>
        _groups.TryGetValue(id, out var g) && Visible(id) ? g : throw Error(call, "InvalidGroup.NotFound", $"The security group '{id}' does not exist");
}
