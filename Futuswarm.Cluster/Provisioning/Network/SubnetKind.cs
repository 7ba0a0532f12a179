using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// One public subnet per zone (routed to the internet gateway: nodes pull images and reach AWS APIs without a
/// NAT gateway). Map-public-IP-on-launch stays off: an instance gets a public address only because the instance
/// resource asks for one, so nothing else launched here by hand is exposed by default. CIDR, zone and VPC cannot
/// change in place: a change replaces the subnet (which EC2 refuses while instances are in it).
/// </summary>
public sealed class SubnetKind(IEc2Network ec2, NetworkSpec spec) : ResourceKind<SubnetInfo>
{
    public const bool MapPublicIpOnLaunch = false;

    public override string Kind => "subnet";

    protected override Task<IReadOnlyList<SubnetInfo>> ObserveAsync(ProvisionContext ctx, CancellationToken ct) =>
        ec2.DescribeSubnetsAsync(NetworkAddresses.Ours(ctx), ct);

    protected override string IdOf(SubnetInfo observed) => observed.SubnetId;
    protected override IReadOnlyDictionary<string, string> TagsOf(SubnetInfo observed) => observed.Tags;
    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => spec.Zones.Select(NetworkAddresses.Subnet);

    public override IReadOnlyList<Change> Diff(ResourceAddress address, SubnetInfo? observed, ProvisionContext ctx)
    {
        var zone = address.Name!;
        var cidr = SubnetLayout.CidrFor(spec, zone);
        var vpcId = ctx.IdOrPlaceholder(NetworkAddresses.Vpc);
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("vpc", NetworkAddresses.Vpc.ToString()),
                FieldChange.Set("cidr_block", cidr),
                FieldChange.Set("availability_zone", zone),
                FieldChange.Set("map_public_ip_on_launch", Bool(MapPublicIpOnLaunch)),
            ])];
        var fixedFields = new List<FieldChange>();
        if (observed.VpcId != vpcId) fixedFields.Add(new FieldChange("vpc", observed.VpcId, vpcId));
        if (observed.CidrBlock != cidr) fixedFields.Add(new FieldChange("cidr_block", observed.CidrBlock, cidr));
        if (observed.AvailabilityZone != zone) fixedFields.Add(new FieldChange("availability_zone", observed.AvailabilityZone, zone));
        if (fixedFields.Count > 0)
            return [new Change(address, ChangeAction.Replace, "vpc, cidr_block and availability_zone cannot change in place", fixedFields)];
        var fields = new List<FieldChange>();
        if (observed.MapPublicIpOnLaunch != MapPublicIpOnLaunch)
            fields.Add(new FieldChange("map_public_ip_on_launch", Bool(observed.MapPublicIpOnLaunch), Bool(MapPublicIpOnLaunch)));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var zone = change.Address.Name!;
        var vpcId = ctx.RequireId(NetworkAddresses.Vpc);
        // The VPC may be seconds old: its id can still be unknown to the endpoint that takes this call.
        var subnet = await Retry.OnEventualConsistencyAsync(
            c => ec2.CreateSubnetAsync(vpcId, SubnetLayout.CidrFor(spec, zone), zone, ctx.TagsFor(change.Address), c),
            Retry.NotFoundYet, ctx.Waits, ct);
        ctx.Created(change.Address, subnet.SubnetId, change.Reason);
        await Waiter.UntilAsync($"subnet {subnet.SubnetId} to be available",
            async c => (await ec2.DescribeSubnetsAsync([Ec2Filter.Of("subnet-id", subnet.SubnetId)], c)).SingleOrDefault(),
            s => s.State == "available", ctx.Waits, ct, ctx.Log);
        // New subnets start with map-public-IP off, which is what we want: no call.
        return subnet.SubnetId;
    }

    protected override async Task UpdateAsync(Change change, SubnetInfo observed, ProvisionContext ctx, CancellationToken ct)
    {
        if (change.Fields.Any(f => f.Field == "map_public_ip_on_launch"))
            await ec2.ModifySubnetMapPublicIpOnLaunchAsync(observed.SubnetId, MapPublicIpOnLaunch, ct);
        if (TagDiff.Any(change)) await ec2.CreateTagsAsync(observed.SubnetId, ctx.TagsFor(change.Address), ct);
    }

    protected override Task DeleteAsync(SubnetInfo observed, ProvisionContext ctx, CancellationToken ct) =>
        // Network interfaces of terminated instances linger for a while after the instances are gone.
        Retry.OnEventualConsistencyAsync(c => ec2.DeleteSubnetAsync(observed.SubnetId, c), Retry.DependentsGoing, ctx.Waits, ct);

    private static string Bool(bool value) => value ? "true" : "false";
}
