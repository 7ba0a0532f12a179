using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>The VPC with its DNS attributes as EC2 reports them (two extra reads per VPC).</summary>
public sealed record ObservedVpc(VpcInfo Vpc, bool DnsSupport, bool DnsHostnames);

/// <summary>
/// The cluster's VPC: its CIDR (fixed for life: a change is refused, never applied), DNS support and DNS
/// hostnames on (RDS endpoints and node names resolve inside the VPC).
/// </summary>
public sealed class VpcKind(IEc2Network ec2, NetworkSpec spec) : ResourceKind<ObservedVpc>
{
    public override string Kind => "vpc";
    public override bool Replaceable => false;

    protected override async Task<IReadOnlyList<ObservedVpc>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var vpcs = await ec2.DescribeVpcsAsync(NetworkAddresses.Ours(ctx), ct);
        var observed = new List<ObservedVpc>();
        foreach (var vpc in vpcs)
            observed.Add(new ObservedVpc(vpc,
                await ec2.DescribeVpcAttributeAsync(vpc.VpcId, VpcAttribute.EnableDnsSupport, ct),
                await ec2.DescribeVpcAttributeAsync(vpc.VpcId, VpcAttribute.EnableDnsHostnames, ct)));
        return observed;
    }

    protected override string IdOf(ObservedVpc observed) => observed.Vpc.VpcId;
    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedVpc observed) => observed.Vpc.Tags;
    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [NetworkAddresses.Vpc];

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedVpc? observed, ProvisionContext ctx)
    {
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("cidr_block", spec.VpcCidr),
                FieldChange.Set("enable_dns_support", "true"),
                FieldChange.Set("enable_dns_hostnames", "true"),
            ])];
        if (observed.Vpc.CidrBlock != spec.VpcCidr)
            return [new Change(address, ChangeAction.Replace, "cidr_block cannot change in place",
                [new FieldChange("cidr_block", observed.Vpc.CidrBlock, spec.VpcCidr)])];
        var fields = new List<FieldChange>();
        if (!observed.DnsSupport) fields.Add(new FieldChange("enable_dns_support", "false", "true"));
        if (!observed.DnsHostnames) fields.Add(new FieldChange("enable_dns_hostnames", "false", "true"));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Vpc.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var vpc = await ec2.CreateVpcAsync(spec.VpcCidr, ctx.TagsFor(change.Address), ct);
        ctx.Created(change.Address, vpc.VpcId, change.Reason);
        await Waiter.UntilAsync($"VPC {vpc.VpcId} to be available",
            async c => (await ec2.DescribeVpcsAsync([Ec2Filter.Of("vpc-id", vpc.VpcId)], c)).SingleOrDefault(),
            v => v.State == "available", ctx.Waits, ct, ctx.Log);
        // EC2 turns DNS support on by default and hostnames off: one call; a changed default shows as drift next run.
        await SetDnsAsync(vpc.VpcId, VpcAttribute.EnableDnsHostnames, ctx, ct);
        return vpc.VpcId;
    }

    protected override async Task UpdateAsync(Change change, ObservedVpc observed, ProvisionContext ctx, CancellationToken ct)
    {
        foreach (var field in change.Fields)
        {
            if (field.Field == "enable_dns_support") await SetDnsAsync(observed.Vpc.VpcId, VpcAttribute.EnableDnsSupport, ctx, ct);
            if (field.Field == "enable_dns_hostnames") await SetDnsAsync(observed.Vpc.VpcId, VpcAttribute.EnableDnsHostnames, ctx, ct);
        }
        if (TagDiff.Any(change)) await ec2.CreateTagsAsync(observed.Vpc.VpcId, ctx.TagsFor(change.Address), ct);
    }

    protected override Task DeleteAsync(ObservedVpc observed, ProvisionContext ctx, CancellationToken ct) =>
        // Subnets and gateways just deleted may still hold the VPC for a moment.
        Retry.OnEventualConsistencyAsync(c => ec2.DeleteVpcAsync(observed.Vpc.VpcId, c), Retry.DependentsGoing, ctx.Waits, ct);

    private Task SetDnsAsync(string vpcId, VpcAttribute attribute, ProvisionContext ctx, CancellationToken ct) =>
        Retry.OnEventualConsistencyAsync(c => ec2.ModifyVpcAttributeAsync(vpcId, attribute, true, c), Retry.NotFoundYet, ctx.Waits, ct);
}
