using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

public sealed partial class AwsEc2Network
{
    public async Task<IReadOnlyList<SecurityGroupInfo>> DescribeSecurityGroupsAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        var found = new List<SecurityGroupInfo>();
        var request = new DescribeSecurityGroupsRequest { Filters = Filters(filters) };
        do
        {
            var response = await Call("DescribeSecurityGroups", () => client.DescribeSecurityGroupsAsync(request, ct));
            found.AddRange((response.SecurityGroups ?? []).Select(g => new SecurityGroupInfo(
                g.GroupId, g.GroupName, g.Description, g.VpcId, Flatten(g.IpPermissions), Tags(g.Tags))));
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return found;
    }

    public async Task<string> CreateSecurityGroupAsync(string vpcId, string groupName, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var request = new CreateSecurityGroupRequest
        {
            VpcId = vpcId, GroupName = groupName, Description = description, TagSpecifications = TagSpecs(ResourceType.SecurityGroup, tags),
        };
        return (await Call("CreateSecurityGroup", () => client.CreateSecurityGroupAsync(request, ct))).GroupId;
    }

    public Task AuthorizeSecurityGroupIngressAsync(string groupId, IReadOnlyList<IngressRule> rules, CancellationToken ct) =>
        Call("AuthorizeSecurityGroupIngress", () => client.AuthorizeSecurityGroupIngressAsync(
            new AuthorizeSecurityGroupIngressRequest { GroupId = groupId, IpPermissions = rules.Select(Permission).ToList() }, ct));

    public Task RevokeSecurityGroupIngressAsync(string groupId, IReadOnlyList<IngressRule> rules, CancellationToken ct) =>
        Call("RevokeSecurityGroupIngress", () => client.RevokeSecurityGroupIngressAsync(
            new RevokeSecurityGroupIngressRequest { GroupId = groupId, IpPermissions = rules.Select(Permission).ToList() }, ct));

    public Task DeleteSecurityGroupAsync(string groupId, CancellationToken ct) =>
        Call("DeleteSecurityGroup", () => client.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = groupId }, ct));

    /// <summary>EC2 groups sources under one permission per protocol and ports; we keep one rule per source.</summary>
    internal static IReadOnlyList<IngressRule> Flatten(List<IpPermission>? permissions) =>
        (permissions ?? []).SelectMany(p =>
        {
            var protocol = p.IpProtocol;
            int from = p.FromPort ?? -1, to = p.ToPort ?? -1;
            // IPv6 ranges and prefix lists are not ours to make: they surface as sources to remove.
            return (p.Ipv4Ranges ?? []).Select(r => new IngressRule(protocol, from, to, r.CidrIp, null, r.Description))
                .Concat((p.UserIdGroupPairs ?? []).Select(g => new IngressRule(protocol, from, to, null, g.GroupId, g.Description)))
                .Concat((p.Ipv6Ranges ?? []).Select(r => new IngressRule(protocol, from, to, r.CidrIpv6, null, r.Description)))
                .Concat((p.PrefixListIds ?? []).Select(l => new IngressRule(protocol, from, to, null, l.Id, l.Description)));
        }).ToList();

    internal static IpPermission Permission(IngressRule rule)
    {
        var permission = new IpPermission { IpProtocol = rule.Protocol, FromPort = rule.FromPort, ToPort = rule.ToPort };
        if (rule.CidrIp is { } cidr)
        {
            if (cidr.Contains(':')) permission.Ipv6Ranges = [new Ipv6Range { CidrIpv6 = cidr, Description = rule.Description }];
            else permission.Ipv4Ranges = [new IpRange { CidrIp = cidr, Description = rule.Description }];
        }
        else if (rule.SourceGroupId is { } source && source.StartsWith("pl-", StringComparison.Ordinal))
            permission.PrefixListIds = [new PrefixListId { Id = source, Description = rule.Description }];
        else
            permission.UserIdGroupPairs = [new UserIdGroupPair { GroupId = rule.SourceGroupId, Description = rule.Description }];
        return permission;
    }

    private static List<Filter> Filters(IReadOnlyList<Ec2Filter> filters) =>
        filters.Select(f => new Filter { Name = f.Name, Values = f.Values.ToList() }).ToList();

    private static List<TagSpecification> TagSpecs(ResourceType type, IReadOnlyDictionary<string, string> tags) =>
        [new TagSpecification { ResourceType = type, Tags = TagList(tags) }];

    private static List<Tag> TagList(IReadOnlyDictionary<string, string> tags) =>
        tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();

    private static IReadOnlyDictionary<string, string> Tags(List<Tag>? tags) =>
        new SortedDictionary<string, string>((tags ?? []).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First().Value ?? ""), StringComparer.Ordinal);

    private static Task<T> Call<T>(string name, Func<Task<T>> call) => Aws.CloudCalls.Sdk(name, call);
}
