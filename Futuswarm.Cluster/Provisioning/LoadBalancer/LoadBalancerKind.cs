using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.LoadBalancer;

/// <summary>A load balancer as observed: ELBv2's description and its tags.</summary>
public sealed record ObservedLoadBalancer(ElbLoadBalancer LoadBalancer, IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// The cluster's internet-facing application load balancer (<c>load-balancer</c>), named
/// <see cref="Definition.ClusterNames.LoadBalancer"/>, in every zone's subnet, behind <see cref="SecurityRules.LoadBalancer"/>.
/// Found by tags (ELBv2 has no tag filter: every load balancer of the region, then DescribeTags). Subnets and security
/// groups are repaired in place (SetSubnets, SetSecurityGroups); name, scheme and type cannot change, so a change replaces it.
/// </summary>
public sealed class LoadBalancerKind(IElbV2Api elb, LoadBalancerSpec spec) : ResourceKind<ObservedLoadBalancer>
{
    public const string Scheme = "internet-facing";
    public const string Type = "application";
    private const string SubnetField = "subnet";
    private const string GroupField = "security_group";

    public override string Kind => LoadBalancerAddresses.LoadBalancer.Kind;

    protected override async Task<IReadOnlyList<ObservedLoadBalancer>> ObserveAsync(ProvisionContext ctx, CancellationToken ct) =>
        (await ElbCalls.OurLoadBalancersAsync(elb, ctx, ct)).Select(t => new ObservedLoadBalancer(t.LoadBalancer, t.Tags)).ToList();

    protected override string IdOf(ObservedLoadBalancer observed) => observed.LoadBalancer.Arn;
    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedLoadBalancer observed) => observed.Tags;
    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [LoadBalancerAddresses.LoadBalancer];

    private IEnumerable<ResourceAddress> Subnets => spec.Zones.Select(NetworkAddresses.Subnet);

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedLoadBalancer? observed, ProvisionContext ctx)
    {
        var name = spec.Names.LoadBalancer;
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("name", name),
                FieldChange.Set("scheme", Scheme),
                FieldChange.Set("type", Type),
                .. Subnets.Select(s => FieldChange.Add(SubnetField, s.ToString())),
                FieldChange.Add(GroupField, SecurityRules.LoadBalancer.ToString()),
            ])];

        var lb = observed.LoadBalancer;
        var fixedFields = new List<FieldChange>();
        if (lb.Name != name) fixedFields.Add(new FieldChange("name", lb.Name, name));
        if (lb.Scheme != Scheme) fixedFields.Add(new FieldChange("scheme", lb.Scheme, Scheme));
        if (lb.Type != Type) fixedFields.Add(new FieldChange("type", lb.Type, Type));
        if (fixedFields.Count > 0)
            return [new Change(address, ChangeAction.Replace, "name, scheme and type cannot change in place", fixedFields)];

        // Compared only when the context knows every id: an unknown one (the network not observed in this run) is no
        // evidence of drift, and repairing it would take the load balancer out of its subnets.
        var fields = new List<FieldChange>();
        if (Known(Subnets, ctx) is { } subnetIds) fields.AddRange(SetDiff(SubnetField, lb.SubnetIds, subnetIds, ctx));
        if (Known([SecurityRules.LoadBalancer], ctx) is { } groupIds) fields.AddRange(SetDiff(GroupField, lb.SecurityGroupIds, groupIds, ctx));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    private static IReadOnlyList<string>? Known(IEnumerable<ResourceAddress> addresses, ProvisionContext ctx)
    {
        var ids = addresses.Select(ctx.IdOf).ToList();
        return ids.Any(id => id is null) ? null : ids.Select(id => id!).ToList();
    }

    /// <summary>Ids missing and ids extra, named by the cluster's addresses where known (<c>subnet[eu-north-1a]</c>).</summary>
    private static IEnumerable<FieldChange> SetDiff(string field, IEnumerable<string> have, IEnumerable<string> want, ProvisionContext ctx)
    {
        var haveSet = have.ToHashSet(StringComparer.Ordinal);
        var wantList = want.ToList();
        return wantList.Where(id => !haveSet.Contains(id)).Select(id => FieldChange.Add(field, LoadBalancerAddresses.Label(id, ctx)))
            .Concat(haveSet.Where(id => !wantList.Contains(id)).Order(StringComparer.Ordinal).Select(id => FieldChange.Remove(field, LoadBalancerAddresses.Label(id, ctx))));
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var name = spec.Names.LoadBalancer;
        var request = new ElbLoadBalancerSpec(name, Subnets.Select(ctx.RequireId).ToList(), [ctx.RequireId(SecurityRules.LoadBalancer)],
            ctx.TagsFor(change.Address), Scheme, Type);
        ElbLoadBalancer lb;
        try
        {
            // Subnets and the group may be seconds old: ELBv2 can answer that it does not know them yet.
            lb = await ElbCalls.RunFresh("CreateLoadBalancer", () => elb.CreateLoadBalancerAsync(request, ct), ctx, ct, "SubnetNotFound", "InvalidSecurityGroup");
        }
        catch (CloudException e) when (e.Code == "DuplicateLoadBalancerName")
        {
            throw ElbCalls.NameTaken(e, "load balancer", name, change.Address, ctx);
        }
        ctx.Created(change.Address, lb.Arn, lb.DnsName);
        var active = await Waiter.UntilAsync($"load balancer {name} to be active",
            async c => (await ElbCalls.Run("DescribeLoadBalancers", () => elb.DescribeLoadBalancersAsync([name], c))).SingleOrDefault(),
            l => l.State == "active", ctx.Waits, ct, ctx.Log);
        ctx.Log($"{change.Address}: {active.DnsName}: point {spec.BaseDomain} and *.{spec.BaseDomain} at it (CNAME, or an alias record for the apex).");
        return lb.Arn;
    }

    protected override async Task UpdateAsync(Change change, ObservedLoadBalancer observed, ProvisionContext ctx, CancellationToken ct)
    {
        var arn = observed.LoadBalancer.Arn;
        if (change.Fields.Any(f => f.Field == SubnetField))
            await ElbCalls.Run("SetSubnets", () => elb.SetSubnetsAsync(arn, Subnets.Select(ctx.RequireId).ToList(), ct));
        if (change.Fields.Any(f => f.Field == GroupField))
            await ElbCalls.Run("SetSecurityGroups", () => elb.SetSecurityGroupsAsync(arn, [ctx.RequireId(SecurityRules.LoadBalancer)], ct));
        if (TagDiff.Any(change)) await ElbCalls.Run("AddTags", () => elb.AddTagsAsync([arn], ctx.TagsFor(change.Address), ct));
    }

    /// <summary>ELBv2 deletes the load balancer's listeners with it.</summary>
    protected override Task DeleteAsync(ObservedLoadBalancer observed, ProvisionContext ctx, CancellationToken ct) =>
        ElbCalls.Run("DeleteLoadBalancer", () => elb.DeleteLoadBalancerAsync(observed.LoadBalancer.Arn, ct));
}
