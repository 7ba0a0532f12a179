using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// The internet gateway, attached to the cluster's VPC. Drift: a detached gateway is attached again; one
/// attached elsewhere is moved back. Destroy detaches before deleting, as EC2 requires.
/// </summary>
public sealed class InternetGatewayKind(IEc2Network ec2) : ResourceKind<InternetGatewayInfo>
{
    public override string Kind => "internet-gateway";

    protected override Task<IReadOnlyList<InternetGatewayInfo>> ObserveAsync(ProvisionContext ctx, CancellationToken ct) =>
        ec2.DescribeInternetGatewaysAsync(NetworkAddresses.Ours(ctx), ct);

    protected override string IdOf(InternetGatewayInfo observed) => observed.InternetGatewayId;
    protected override IReadOnlyDictionary<string, string> TagsOf(InternetGatewayInfo observed) => observed.Tags;
    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [NetworkAddresses.InternetGateway];

    public override IReadOnlyList<Change> Diff(ResourceAddress address, InternetGatewayInfo? observed, ProvisionContext ctx)
    {
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [FieldChange.Set("attached_to", NetworkAddresses.Vpc.ToString())])];
        var fields = new List<FieldChange>();
        var attachedTo = AttachedTo(observed, ctx);
        if (attachedTo != NetworkAddresses.Vpc.ToString())
            fields.Add(new FieldChange("attached_to", attachedTo, NetworkAddresses.Vpc.ToString()));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, attachedTo is null ? "detached" : "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var gateway = await ec2.CreateInternetGatewayAsync(ctx.TagsFor(change.Address), ct);
        ctx.Created(change.Address, gateway.InternetGatewayId, change.Reason);
        await AttachAsync(gateway.InternetGatewayId, ctx, ct);
        return gateway.InternetGatewayId;
    }

    protected override async Task UpdateAsync(Change change, InternetGatewayInfo observed, ProvisionContext ctx, CancellationToken ct)
    {
        if (change.Fields.Any(f => f.Field == "attached_to"))
        {
            foreach (var attachment in observed.Attachments)
                await ec2.DetachInternetGatewayAsync(observed.InternetGatewayId, attachment.VpcId, ct);
            await AttachAsync(observed.InternetGatewayId, ctx, ct);
        }
        if (TagDiff.Any(change)) await ec2.CreateTagsAsync(observed.InternetGatewayId, ctx.TagsFor(change.Address), ct);
    }

    protected override async Task DeleteAsync(InternetGatewayInfo observed, ProvisionContext ctx, CancellationToken ct)
    {
        foreach (var attachment in observed.Attachments)
            await ec2.DetachInternetGatewayAsync(observed.InternetGatewayId, attachment.VpcId, ct);
        await Retry.OnEventualConsistencyAsync(c => ec2.DeleteInternetGatewayAsync(observed.InternetGatewayId, c), Retry.DependentsGoing, ctx.Waits, ct);
    }

    private async Task AttachAsync(string gatewayId, ProvisionContext ctx, CancellationToken ct)
    {
        var vpcId = ctx.RequireId(NetworkAddresses.Vpc);
        await Retry.OnEventualConsistencyAsync(c => ec2.AttachInternetGatewayAsync(gatewayId, vpcId, c), Retry.NotFoundYet, ctx.Waits, ct);
        await Waiter.UntilAsync($"internet gateway {gatewayId} to be attached to {vpcId}",
            async c => (await ec2.DescribeInternetGatewaysAsync([Ec2Filter.Of("internet-gateway-id", gatewayId)], c)).SingleOrDefault(),
            g => g.Attachments.Any(a => a.VpcId == vpcId && a.State is "available" or "attached"), ctx.Waits, ct, ctx.Log);
    }

    /// <summary>Where the gateway is attached, by address when it is the cluster's VPC; null when detached.</summary>
    private static string? AttachedTo(InternetGatewayInfo gateway, ProvisionContext ctx)
    {
        var attached = gateway.Attachments.Where(a => a.State is "available" or "attached" or "attaching").Select(a => a.VpcId).ToList();
        if (attached.Count == 0) return null;
        return string.Join(", ", attached.Select(id => ctx.AddressOf(id)?.ToString() ?? id));
    }
}
