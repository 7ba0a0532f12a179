using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// Reserves manager-1's fixed address (<see cref="FixedAddress"/>) as an explicit subnet CIDR reservation of that /32 in
/// the first zone's subnet. The load balancer's and the database's interfaces live in the same subnets; without it EC2
/// may give one of them the address while manager-1 is being replaced, and manager-1 could never be launched again.
/// Explicit: EC2 never picks the address by itself, the instance that asks for it still gets it.
/// EC2 lists reservations per subnet, so every subnet tagged for the cluster is read; a reservation is the cluster's
/// only by its tags. A reservation cannot be modified: any difference replaces it. One that is not the cluster's is
/// never touched: when it covers the address, the run is refused (FSW6063) before any call.
/// </summary>
public sealed class CidrReservationKind(IEc2Network ec2, NetworkSpec spec) : ResourceKind<CidrReservationInfo>
{
    public const string Explicit = "explicit";

    /// <summary>How a planned change says a reservation that is not ours covers the address (what <see cref="Refusal"/> refuses).</summary>
    private const string CoveredByOther = "the address is covered by a reservation not tagged for the cluster";

    private IReadOnlyList<CidrReservationInfo> _others = [];

    public override string Kind => "subnet-cidr-reservation";

    private ResourceAddress Subnet => NetworkAddresses.Subnet(spec.Zones[0]);

    /// <summary>Exactly manager-1's address, so the rest of the subnet stays EC2's to hand out.</summary>
    public string ReservedCidr => FixedAddress.FirstManager(spec.VpcCidr, spec.Zones) + "/32";

    protected override async Task<IReadOnlyList<CidrReservationInfo>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var all = new List<CidrReservationInfo>();
        foreach (var subnet in await ec2.DescribeSubnetsAsync(NetworkAddresses.Ours(ctx), ct))
            all.AddRange(await ReservationsAsync(subnet.SubnetId, ct));
        _others = all.Where(r => !IsOurs(r, ctx)).ToList();
        return all.Where(r => IsOurs(r, ctx)).ToList();
    }

    protected override string IdOf(CidrReservationInfo observed) => observed.ReservationId;
    protected override IReadOnlyDictionary<string, string> TagsOf(CidrReservationInfo observed) => observed.Tags;
    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [NetworkAddresses.FirstManagerReservation];

    public override IReadOnlyList<Change> Diff(ResourceAddress address, CidrReservationInfo? observed, ProvisionContext ctx)
    {
        var subnetId = ctx.IdOrPlaceholder(Subnet);
        var other = _others.FirstOrDefault(r => r.SubnetId == subnetId && Covers(r.Cidr, ReservedCidr));
        var blocked = other is null ? null : $"{CoveredByOther}: {other.ReservationId} ({other.ReservationType} {other.Cidr})";
        if (observed is null)
            return [new Change(address, ChangeAction.Create, blocked ?? "not found", [
                FieldChange.Set("subnet", Subnet.ToString()),
                FieldChange.Set("cidr", ReservedCidr),
                FieldChange.Set("type", Explicit),
            ])];
        var fields = new List<FieldChange>();
        if (observed.SubnetId != subnetId)
            fields.Add(new FieldChange("subnet", ctx.AddressOf(observed.SubnetId)?.ToString() ?? observed.SubnetId, Subnet.ToString()));
        if (observed.Cidr != ReservedCidr) fields.Add(new FieldChange("cidr", observed.Cidr, ReservedCidr));
        if (observed.ReservationType != Explicit) fields.Add(new FieldChange("type", observed.ReservationType, Explicit));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Replace, blocked ?? "a reservation cannot be modified", fields)];
    }

    public override FswException? Refusal(Change change) =>
        change.Reason.StartsWith(CoveredByOther, StringComparison.Ordinal)
            ? new FswException(ErrorCodes.AddressReservationConflict,
                $"{change.Address} cannot be made: {change.Reason[CoveredByOther.Length..].TrimStart(':', ' ')} covers manager-1's fixed "
                + $"address {ReservedCidr} in {Subnet}, and it is not the cluster's, so it is left alone. Nothing was changed. Delete it "
                + "(aws ec2 delete-subnet-cidr-reservation), or, if it is an explicit reservation of exactly that address, give it the "
                + $"cluster's tags ({string.Join(", ", ClusterTags.For(spec.Cluster, change.Address).Select(t => $"{t.Key}={t.Value}"))}) "
                + "so that the cluster owns it; then run again.")
            : base.Refusal(change);

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var subnetId = ctx.RequireId(Subnet);
        // The subnet may be seconds old: its id can still be unknown to the endpoint that takes this call.
        var reservation = await Retry.OnEventualConsistencyAsync(
            c => ec2.CreateSubnetCidrReservationAsync(subnetId, ReservedCidr, Explicit, $"manager-1's fixed address ({ctx.Cluster})", ctx.TagsFor(change.Address), c),
            Retry.NotFoundYet, ctx.Waits, ct);
        ctx.Created(change.Address, reservation.ReservationId, change.Reason);
        // Until it is listed, a next run would not see it and would try again (refused: it overlaps itself).
        await Waiter.UntilAsync($"subnet CIDR reservation {reservation.ReservationId} to be listed",
            async c => (await ec2.GetSubnetCidrReservationsAsync(subnetId, [], c)).SingleOrDefault(r => r.ReservationId == reservation.ReservationId),
            r => true, ctx.Waits, ct, ctx.Log);
        return reservation.ReservationId;
    }

    // Never called: every difference is a replace (the engine deletes, then creates).
    protected override Task UpdateAsync(Change change, CidrReservationInfo observed, ProvisionContext ctx, CancellationToken ct) =>
        throw new InvalidOperationException($"{change.Address}: a reservation cannot be modified");

    protected override Task DeleteAsync(CidrReservationInfo observed, ProvisionContext ctx, CancellationToken ct) =>
        ec2.DeleteSubnetCidrReservationAsync(observed.ReservationId, ct);

    private async Task<IReadOnlyList<CidrReservationInfo>> ReservationsAsync(string subnetId, CancellationToken ct)
    {
        try
        {
            return await ec2.GetSubnetCidrReservationsAsync(subnetId, [], ct);
        }
        catch (CloudException e) when (e.IsNotFound)
        {
            return []; // a subnet listed a moment ago that this endpoint does not know yet, or that is being deleted
        }
    }

    private static bool IsOurs(CidrReservationInfo r, ProvisionContext ctx) => r.Tags.GetValueOrDefault(ClusterTags.Cluster) == ctx.Cluster;

    /// <summary>True when <paramref name="cidr"/> contains <paramref name="reserved"/>; an IPv6 one never does (it does not parse).</summary>
    private static bool Covers(string cidr, string reserved) =>
        Cidr.TryParse(cidr, out var range) && Cidr.TryParse(reserved, out var host) && range.Contains(host);
}
