using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.LoadBalancer;

/// <summary>A target group as observed: ELBv2's description and its tags.</summary>
public sealed record ObservedTargetGroup(ElbTargetGroup Group, IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// The edge proxy's target group (<c>target-group[edge]</c>): HTTP on port 80 of the manager instances in the cluster's
/// VPC. Found by tags. The health check is repaired in place (ModifyTargetGroup); protocol, port, VPC and target type
/// cannot change, so a change replaces the group, after deleting the listeners that forward to it (ELBv2 refuses to
/// delete a group in use); the listener kind creates them again in the same run.
/// </summary>
public sealed class TargetGroupKind(IElbV2Api elb, LoadBalancerSpec spec) : ResourceKind<ObservedTargetGroup>
{
    public const string Protocol = "HTTP";
    public const int Port = 80;
    public const string TargetType = "instance";

    /// <summary>
    /// The edge (Caddy, Futuswarm.Cluster/Edge) has no health route: a request for a host it does not serve gets its
    /// catch-all 404, and the load balancer's checks carry no known host. Any HTTP answer proves Caddy is up and
    /// listening, so every code below 500 counts as healthy; a dead or hung proxy fails the check by not answering.
    /// </summary>
    public static readonly ElbHealthCheck HealthCheck = new("HTTP", "/", "traffic-port", "200-499");

    public override string Kind => LoadBalancerAddresses.TargetGroup.Kind;

    protected override async Task<IReadOnlyList<ObservedTargetGroup>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var all = await ElbCalls.Run("DescribeTargetGroups", () => elb.DescribeTargetGroupsAsync([], null, ct));
        var tags = await ElbCalls.TagsAsync(elb, all.Select(g => g.Arn).ToList(), ct);
        return all.Select(g => new ObservedTargetGroup(g, tags.GetValueOrDefault(g.Arn) ?? new Dictionary<string, string>()))
            .Where(g => ElbCalls.Ours(g.Tags, ctx)).ToList();
    }

    protected override string IdOf(ObservedTargetGroup observed) => observed.Group.Arn;
    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedTargetGroup observed) => observed.Tags;
    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [LoadBalancerAddresses.TargetGroup];

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedTargetGroup? observed, ProvisionContext ctx)
    {
        var name = spec.Names.TargetGroup;
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("name", name),
                FieldChange.Set("protocol", Protocol),
                FieldChange.Set("port", Port.ToString()),
                FieldChange.Set("vpc", NetworkAddresses.Vpc.ToString()),
                FieldChange.Set("target_type", TargetType),
                FieldChange.Set("health_check", Text(HealthCheck)),
            ])];

        var g = observed.Group;
        var fixedFields = new List<FieldChange>();
        if (g.Name != name) fixedFields.Add(new FieldChange("name", g.Name, name));
        if (g.Protocol != Protocol) fixedFields.Add(new FieldChange("protocol", g.Protocol, Protocol));
        if (g.Port != Port) fixedFields.Add(new FieldChange("port", g.Port.ToString(), Port.ToString()));
        // An unknown VPC id (the network not observed in this run) is no evidence of drift: replacing on it would cut the edge off.
        if (ctx.IdOf(NetworkAddresses.Vpc) is { } vpcId && g.VpcId != vpcId) fixedFields.Add(new FieldChange("vpc", LoadBalancerAddresses.Label(g.VpcId, ctx), NetworkAddresses.Vpc.ToString()));
        if ((g.TargetType ?? TargetType) != TargetType) fixedFields.Add(new FieldChange("target_type", g.TargetType, TargetType));
        if (fixedFields.Count > 0)
            return [new Change(address, ChangeAction.Replace, "name, protocol, port, VPC and target type cannot change in place", fixedFields)];

        var have = new ElbHealthCheck(g.HealthCheckProtocol, g.HealthCheckPath, g.HealthCheckPort, g.Matcher);
        var fields = new List<FieldChange>();
        if (have != HealthCheck) fields.Add(new FieldChange("health_check", Text(have), Text(HealthCheck)));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    private static string Text(ElbHealthCheck h) => $"{h.Protocol} {h.Path} on {h.Port}, healthy at {h.Matcher}";

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var name = spec.Names.TargetGroup;
        var request = new ElbTargetGroupSpec(name, Protocol, Port, ctx.RequireId(NetworkAddresses.Vpc), ctx.TagsFor(change.Address), TargetType,
            HealthCheck.Path, HealthCheck.Port, HealthCheck.Matcher);
        ElbTargetGroup group;
        try
        {
            group = await ElbCalls.Run("CreateTargetGroup", () => elb.CreateTargetGroupAsync(request, ct));
        }
        catch (CloudException e) when (e.Code == "DuplicateTargetGroupName")
        {
            throw ElbCalls.NameTaken(e, "target group", name, change.Address, ctx);
        }
        ctx.Created(change.Address, group.Arn, name);
        return group.Arn;
    }

    protected override async Task UpdateAsync(Change change, ObservedTargetGroup observed, ProvisionContext ctx, CancellationToken ct)
    {
        var arn = observed.Group.Arn;
        if (change.Fields.Any(f => f.Field == "health_check"))
            await ElbCalls.Run("ModifyTargetGroup", () => elb.ModifyTargetGroupAsync(arn, HealthCheck, ct));
        if (TagDiff.Any(change)) await ElbCalls.Run("AddTags", () => elb.AddTagsAsync([arn], ctx.TagsFor(change.Address), ct));
    }

    protected override async Task DeleteAsync(ObservedTargetGroup observed, ProvisionContext ctx, CancellationToken ct)
    {
        var arn = observed.Group.Arn;
        if (ctx.IdOf(LoadBalancerAddresses.LoadBalancer) is { } lbArn)
            foreach (var user in (await ElbCalls.Run("DescribeListeners", () => elb.DescribeListenersAsync(lbArn, ct)))
                         .Where(l => l.DefaultActions.Any(a => a.TargetGroupArn == arn)))
            {
                await ElbCalls.Run("DeleteListener", () => elb.DeleteListenerAsync(user.Arn, ct));
                ctx.Log($"{LoadBalancerAddresses.TargetGroup}: deleted listener {user.Port} that forwarded to it; the listener kind creates it again.");
            }
        // A listener deleted a moment ago (by this run or by a destroy) can still hold the group for a while.
        await ElbCalls.RunFresh("DeleteTargetGroup", async () => { await elb.DeleteTargetGroupAsync(arn, ct); return true; }, ctx, ct, "ResourceInUse");
    }
}
