using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// The cluster's security groups (<see cref="SecurityRules"/>) with exactly their ingress rules: a missing rule is
/// authorized, a rule nobody defined is revoked (only in our groups; others are never read). Rules are compared
/// by protocol, port and source, like EC2; descriptions are not compared. Groups are created in an order where each
/// rule's source group exists; destroy runs the reverse, so no group is deleted while another still refers to it.
/// </summary>
public sealed class SecurityGroupKind(IEc2Network ec2, NetworkSpec spec) : ResourceKind<SecurityGroupInfo>
{
    private const string IngressField = "ingress";

    public override string Kind => SecurityRules.Kind;

    protected override Task<IReadOnlyList<SecurityGroupInfo>> ObserveAsync(ProvisionContext ctx, CancellationToken ct) =>
        ec2.DescribeSecurityGroupsAsync(NetworkAddresses.Ours(ctx), ct);

    protected override string IdOf(SecurityGroupInfo observed) => observed.GroupId;
    protected override IReadOnlyDictionary<string, string> TagsOf(SecurityGroupInfo observed) => observed.Tags;
    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => SecurityRules.Groups;

    public static string GroupName(ResourceAddress group, string cluster) => $"{cluster}-{group.Name}";

    public override IReadOnlyList<Change> Diff(ResourceAddress address, SecurityGroupInfo? observed, ProvisionContext ctx)
    {
        var desired = SecurityRules.For(address, spec);
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("name", GroupName(address, ctx.Cluster)),
                FieldChange.Set("vpc", NetworkAddresses.Vpc.ToString()),
                .. desired.Select(r => FieldChange.Add(IngressField, r.Key)),
            ])];
        var have = observed.Ingress.Select(r => SecurityRules.KeyOf(r, ctx)).ToHashSet(StringComparer.Ordinal);
        var want = desired.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var fields = new List<FieldChange>();
        fields.AddRange(desired.Where(r => !have.Contains(r.Key)).Select(r => FieldChange.Add(IngressField, r.Key)));
        fields.AddRange(have.Where(k => !want.Contains(k)).Order(StringComparer.Ordinal).Select(k => FieldChange.Remove(IngressField, k)));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var vpcId = ctx.RequireId(NetworkAddresses.Vpc);
        var groupId = await Retry.OnEventualConsistencyAsync(
            c => ec2.CreateSecurityGroupAsync(vpcId, GroupName(change.Address, ctx.Cluster),
                SecurityRules.Description(change.Address, ctx.Cluster), ctx.TagsFor(change.Address), c),
            Retry.NotFoundYet, ctx.Waits, ct);
        // Known before the rules: the nodes group is its own source.
        ctx.Created(change.Address, groupId, change.Reason);
        await AuthorizeAsync(groupId, Adds(change), change.Address, ctx, ct);
        return groupId;
    }

    protected override async Task UpdateAsync(Change change, SecurityGroupInfo observed, ProvisionContext ctx, CancellationToken ct)
    {
        await AuthorizeAsync(observed.GroupId, Adds(change), change.Address, ctx, ct);
        var removes = change.Fields.Where(f => f.Field == IngressField && f.To is null).Select(f => f.From).ToHashSet();
        var revoke = observed.Ingress.Where(r => removes.Contains(SecurityRules.KeyOf(r, ctx))).ToList();
        if (revoke.Count > 0) await ec2.RevokeSecurityGroupIngressAsync(observed.GroupId, revoke, ct);
        if (TagDiff.Any(change)) await ec2.CreateTagsAsync(observed.GroupId, ctx.TagsFor(change.Address), ct);
    }

    protected override Task DeleteAsync(SecurityGroupInfo observed, ProvisionContext ctx, CancellationToken ct) =>
        // A group stays referenced for a moment after the group or instance that referred to it is gone.
        Retry.OnEventualConsistencyAsync(c => ec2.DeleteSecurityGroupAsync(observed.GroupId, c), Retry.DependentsGoing, ctx.Waits, ct);

    private static HashSet<string?> Adds(Change change) =>
        change.Fields.Where(f => f.Field == IngressField && f.From is null).Select(f => f.To).ToHashSet();

    /// <summary>One call for all of a group's missing rules, in the definition's order.</summary>
    private async Task AuthorizeAsync(string groupId, HashSet<string?> keys, ResourceAddress group, ProvisionContext ctx, CancellationToken ct)
    {
        var rules = SecurityRules.For(group, spec).Where(r => keys.Contains(r.Key)).Select(r => r.Resolve(ctx)).ToList();
        if (rules.Count == 0) return;
        await Retry.OnEventualConsistencyAsync(c => ec2.AuthorizeSecurityGroupIngressAsync(groupId, rules, c), Retry.NotFoundYet, ctx.Waits, ct);
    }
}
