using Futuswarm.Cluster.Provisioning;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// The reservation of manager-1's fixed address in the network layer against the fake EC2: made with the subnets,
/// converged, made again when deleted, replaced when ours drifted, and reservations that are not the cluster's left alone.
/// </summary>
public class ProvisioningCidrReservationTests
{
    private const string Reserved = "10.40.0.10/32"; // host 10 of subnet[eu-north-1a] 10.40.0.0/20
    private static readonly ResourceAddress Address = NetworkAddresses.FirstManagerReservation;

    private readonly FakeEc2Cloud _cloud = new();

    private static ProvisionContext Ctx() => new("demo", WaitOptions.Immediate);

    private Task<Plan> ApplyAsync() => NetworkLayer.For(_cloud, ProvisioningNetworkTests.Spec).ApplyAsync(Ctx(), default);

    private Task<Plan> PlanAsync() => NetworkLayer.For(_cloud, ProvisioningNetworkTests.Spec).PlanAsync(Ctx(), default);

    private async Task<string> SubnetIdAsync(string zone) =>
        (await _cloud.DescribeSubnetsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo"), Ec2Filter.Of("availability-zone", zone)], default)).Single().SubnetId;

    private async Task<IReadOnlyList<CidrReservationInfo>> ReservationsAsync(string zone) =>
        await _cloud.GetSubnetCidrReservationsAsync(await SubnetIdAsync(zone), [], default);

    [Fact]
    public async Task TheFirstProvisionReservesExactlyManagerOnesAddressRightAfterTheSubnets()
    {
        await ApplyAsync();

        var reservation = Assert.Single(await ReservationsAsync("eu-north-1a"));
        Assert.Equal((Reserved, "explicit"), (reservation.Cidr, reservation.ReservationType));
        Assert.Equal(ClusterTags.For("demo", Address), reservation.Tags);
        Assert.Equal("demo-subnet-cidr-reservation-manager-1", reservation.Tags["Name"]);
        Assert.Equal("manager-1's fixed address (demo)", _cloud.DescriptionOf(reservation.ReservationId));
        Assert.Empty(await ReservationsAsync("eu-north-1b"));
        var calls = _cloud.CallNames.ToList();
        Assert.Equal(calls.LastIndexOf("CreateSubnet") + 1, calls.IndexOf("CreateSubnetCidrReservation"));
    }

    [Fact]
    public void TheReservationAndManagerOnesLaunchNameTheSameAddress()
    {
        var d = ClusterDefinitionLoader.Load(Path.Combine(RepoRoot.Path, "docs", "examples", "cluster.json"));

        var planned = NetworkLayer.For(new FakeEc2Cloud(), ClusterPlanner.NetworkOf(d)).Kinds.OfType<CidrReservationKind>().Single();

        Assert.Equal(ClusterPlanner.ComputeOf(d).FirstManagerAddress + "/32", planned.ReservedCidr);
    }

    [Fact]
    public async Task ADeletedReservationIsMadeAgainWithOneCallAndASecondRunMakesNone()
    {
        await ApplyAsync();
        var subnet = await SubnetIdAsync("eu-north-1a");
        _cloud.DeleteReservationBehindTheBack((await ReservationsAsync("eu-north-1a")).Single().ReservationId);
        _cloud.ResetCalls();

        var plan = await PlanAsync();
        await ApplyAsync();

        Assert.Equal(
            """
            Cluster "demo": 1 to create, 0 to update, 0 to replace, 0 to delete.

            + subnet-cidr-reservation[manager-1]  # not found
                + subnet: subnet[eu-north-1a]
                + cidr: 10.40.0.10/32
                + type: explicit

            """, plan.ToText());
        Assert.Equal([$"CreateSubnetCidrReservation {subnet} {Reserved} explicit"], _cloud.Calls.Select(c => c.ToString()));
        _cloud.ResetCalls();
        Assert.True((await ApplyAsync()).IsEmpty);
        Assert.Empty(_cloud.Calls);
    }

    [Fact]
    public async Task OursOfAnotherTypeAndRangeIsReplaced()
    {
        await ApplyAsync();
        var subnet = await SubnetIdAsync("eu-north-1a");
        _cloud.DeleteReservationBehindTheBack((await ReservationsAsync("eu-north-1a")).Single().ReservationId);
        var wrong = _cloud.ReserveBehindTheBack(subnet, "10.40.0.8/29", "prefix", ClusterTags.For("demo", Address));
        _cloud.ResetCalls();

        var change = Assert.Single((await PlanAsync()).Changes);
        await ApplyAsync();

        Assert.Equal((ChangeAction.Replace, "a reservation cannot be modified"), (change.Action, change.Reason));
        Assert.Equal(["~ cidr: 10.40.0.8/29 -> 10.40.0.10/32", "~ type: prefix -> explicit"], change.Fields.Select(f => f.ToString()));
        Assert.Equal([$"DeleteSubnetCidrReservation {wrong}", $"CreateSubnetCidrReservation {subnet} {Reserved} explicit"],
            _cloud.Calls.Select(c => c.ToString()));
        Assert.Equal((Reserved, "explicit"), (await ReservationsAsync("eu-north-1a")).Select(r => (r.Cidr, r.ReservationType)).Single());
    }

    [Fact]
    public async Task OneNotTheClustersOverTheAddressIsRefusedBeforeAnyCallAndLeftAlone()
    {
        await ApplyAsync();
        var subnet = await SubnetIdAsync("eu-north-1a");
        _cloud.DeleteReservationBehindTheBack((await ReservationsAsync("eu-north-1a")).Single().ReservationId);
        var theirs = _cloud.ReserveBehindTheBack(subnet, "10.40.0.8/29", "explicit");
        _cloud.ResetCalls();

        var plan = await PlanAsync();
        var e = await Assert.ThrowsAsync<FswException>(ApplyAsync);

        Assert.Equal(
            $"+ subnet-cidr-reservation[manager-1]  # the address is covered by a reservation not tagged for the cluster: {theirs} (explicit 10.40.0.8/29)",
            plan.ToText().Split('\n')[2]);
        Assert.Equal(ErrorCodes.AddressReservationConflict, e.Code);
        Assert.Contains($"{theirs} (explicit 10.40.0.8/29) covers manager-1's fixed address {Reserved} in subnet[eu-north-1a]", e.Message);
        Assert.Contains("futuswarm:role=subnet-cidr-reservation[manager-1]", e.Message);
        Assert.Empty(_cloud.Calls);
        Assert.Equal([theirs], (await ReservationsAsync("eu-north-1a")).Select(r => r.ReservationId));
    }

    [Fact]
    public async Task OthersThatDoNotCoverTheAddressAreIgnoredAndNeverDeleted()
    {
        await ApplyAsync();
        var (a, b) = (await SubnetIdAsync("eu-north-1a"), await SubnetIdAsync("eu-north-1b"));
        _cloud.ReserveBehindTheBack(a, "10.40.0.64/28", "prefix");
        _cloud.ReserveBehindTheBack(b, "10.40.16.10/32", "explicit", new Dictionary<string, string> { [ClusterTags.Cluster] = "other" });
        _cloud.ResetCalls();

        Assert.True((await PlanAsync()).IsEmpty);
        Assert.True((await ApplyAsync()).IsEmpty);
        var destroyed = await NetworkLayer.For(_cloud, ProvisioningNetworkTests.Spec).DestroyAsync(Ctx(), default);

        Assert.Equal([Address], destroyed.Changes.Where(c => c.Address.Kind == Address.Kind).Select(c => c.Address));
        Assert.Single(_cloud.Calls, c => c.Name == "DeleteSubnetCidrReservation");
    }

    [Fact]
    public async Task DestroyDeletesTheReservationBeforeItsSubnet()
    {
        await ApplyAsync();
        var id = (await ReservationsAsync("eu-north-1a")).Single().ReservationId;
        _cloud.ResetCalls();

        await NetworkLayer.For(_cloud, ProvisioningNetworkTests.Spec).DestroyAsync(Ctx(), default);

        var calls = _cloud.Calls.Select(c => c.ToString()).ToList();
        Assert.True(calls.IndexOf($"DeleteSubnetCidrReservation {id}") is var at && at >= 0 && at < calls.FindIndex(c => c.StartsWith("DeleteSubnet ", StringComparison.Ordinal)),
            string.Join("\n", calls));
        Assert.Empty(_cloud.Tagged("demo"));
    }
}
