using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// manager-1's fixed private address (the other nodes' user data names it before they launch): where it is, EC2's
/// refusals as the fake plays them, drift, and a relaunch after the old manager-1 is terminated.
/// </summary>
public class ProvisioningComputeAddressTests
{
    private const string Fixed = "10.40.0.10"; // host 10 of subnet[eu-north-1a] 10.40.0.0/20
    private readonly ProvisioningComputeTests.Cloud _cloud = new();

    [Theory]
    [InlineData("10.40.0.0/20", "10.40.0.10")]
    [InlineData("10.42.16.0/20", "10.42.16.10")]
    [InlineData("192.168.7.16/28", "192.168.7.26")] // the smallest subnet of a /24 VPC: hosts .20-.30 usable
    public void TheFixedAddressIsHostTenOfTheSubnet(string subnet, string address)
    {
        Assert.Equal(address, FixedAddress.In(subnet));
        Assert.True(FixedAddress.Assignable(subnet, address));
    }

    [Theory]
    [InlineData("10.40.0.0/20", "10.40.0.3", false)]    // reserved by AWS (network, router, DNS, future)
    [InlineData("10.40.0.0/20", "10.40.0.4", true)]
    [InlineData("10.40.0.0/20", "10.40.15.254", true)]
    [InlineData("10.40.0.0/20", "10.40.15.255", false)] // the last one: reserved
    [InlineData("10.40.0.0/20", "10.40.16.10", false)]  // another subnet
    [InlineData("10.40.16.0/20", "10.40.0.10", false)]
    public void AssignableIsInsideTheSubnetAndNotReserved(string subnet, string address, bool assignable) =>
        Assert.Equal(assignable, FixedAddress.Assignable(subnet, address));

    [Fact]
    public void OnlyManagerOneHasAFixedAddressInTheFirstZonesSubnet()
    {
        var nodes = ComputeNode.All(ProvisioningComputeTests.Spec);

        Assert.Equal(Fixed, ProvisioningComputeTests.Spec.FirstManagerAddress);
        Assert.Equal([Fixed], nodes.Select(n => n.PrivateIp).OfType<string>());
        Assert.Equal(ComputeNode.Manager(1), nodes.Single(n => n.PrivateIp is not null).Address);
        Assert.Equal(ErrorCodes.ProvisionSpecInvalid,
            Assert.Throws<FswException>(() => (ProvisioningComputeTests.Spec with { VpcCidr = "10.40.0.0/12" }).Validate()).Code);
    }

    [Fact]
    public async Task ManagerOneIsLaunchedAtItsAddressAndTheOthersAtEc2sPickInTheirSubnets()
    {
        await _cloud.ApplyAsync();

        var manager1 = _cloud.Node("manager-1");
        Assert.Equal(Fixed, manager1.PrivateIp);
        Assert.Equal(Fixed, _cloud.Ec2.LaunchOf(manager1.InstanceId).PrivateIpAddress);
        foreach (var name in new[] { "manager-2", "manager-3", "worker-1", "worker-2", "worker-3" })
        {
            var node = _cloud.Node(name);
            Assert.Null(_cloud.Ec2.LaunchOf(node.InstanceId).PrivateIpAddress);
            Assert.NotEqual(Fixed, node.PrivateIp);
            Assert.True(FixedAddress.Assignable(node.AvailabilityZone == "eu-north-1a" ? "10.40.0.0/20" : "10.40.16.0/20", node.PrivateIp!), $"{name} at {node.PrivateIp}");
        }
    }

    [Fact]
    public async Task TheFakeRefusesAnAddressOutsideTheSubnetOrInUseAsEc2Does()
    {
        await _cloud.ApplyAsync();
        var launch = _cloud.Ec2.LaunchOf(_cloud.Node("manager-1").InstanceId) with { Tags = new Dictionary<string, string>() };

        var inUse = await Assert.ThrowsAsync<CloudException>(() => _cloud.Instances.RunInstanceAsync(launch with { ClientToken = "t1" }, default));
        var outside = await Assert.ThrowsAsync<CloudException>(() =>
            _cloud.Instances.RunInstanceAsync(launch with { ClientToken = "t2", PrivateIpAddress = "10.40.16.10" }, default));
        var reserved = await Assert.ThrowsAsync<CloudException>(() =>
            _cloud.Instances.RunInstanceAsync(launch with { ClientToken = "t3", PrivateIpAddress = "10.40.0.1" }, default));

        Assert.Equal("InvalidIPAddress.InUse", inUse.Code);
        Assert.Equal(("InvalidParameterValue", "InvalidParameterValue"), (outside.Code, reserved.Code));
        Assert.Equal(6, _cloud.Ec2.TaggedInstances("demo").Count);
    }

    [Fact]
    public async Task ARelaunchedManagerOneWaitsForTheOldOneToReleaseTheAddress()
    {
        // A single-manager cluster: its lost manager comes back (a new swarm) at the same address.
        var single = ProvisioningComputeTests.Spec with { Managers = ProvisioningComputeTests.Spec.Managers with { Count = 1 } };
        await _cloud.ApplyAsync(single);
        var old = _cloud.Node("manager-1").InstanceId;
        _cloud.Ec2.ShuttingDownReads = 6; // EC2 keeps the interface (and its address) until the instance is terminated
        _cloud.Ec2.TerminateBehindTheBack(old);
        _cloud.ResetCalls();

        var applied = await _cloud.ApplyAsync(single);

        Assert.Equal(["+ instance[manager-1] (not found)"], applied.Changes.Select(c => c.ToString()));
        var mutation = Assert.Single(_cloud.Mutations);
        Assert.StartsWith("RunInstances instance[manager-1] ", mutation);
        Assert.EndsWith($" private_ip={Fixed}", mutation);
        Assert.NotEqual(old, _cloud.Node("manager-1").InstanceId);
        Assert.Equal(Fixed, _cloud.Node("manager-1").PrivateIp);
        Assert.Contains(_cloud.Log, l => l.Contains($"waiting for {old} to be terminated and release {Fixed}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InterfacesPlacedWhileManagerOneIsGoneNeverTakeItsAddress()
    {
        // A single-manager cluster loses its manager; meanwhile the load balancer and the database place interfaces in
        // its subnet at EC2's pick (the lowest free address here: without the reservation one of them gets host 10).
        var single = ProvisioningComputeTests.Spec with { Managers = ProvisioningComputeTests.Spec.Managers with { Count = 1 } };
        await _cloud.ApplyAsync(single);
        _cloud.Ec2.TerminateBehindTheBack(_cloud.Node("manager-1").InstanceId);
        await _cloud.Instances.DescribeInstancesAsync([], default); // terminated
        var subnet = await _cloud.SubnetIdAsync("eu-north-1a");

        var placed = Enumerable.Range(0, 12).Select(_ => _cloud.Ec2.PlaceInterfaceBehindTheBack(subnet)).ToList();
        _cloud.ResetCalls();
        var applied = await _cloud.ApplyAsync(single);

        Assert.DoesNotContain(Fixed, placed);
        Assert.Contains("10.40.0.11", placed);
        Assert.Equal(["+ instance[manager-1] (not found)"], applied.Changes.Select(c => c.ToString()));
        Assert.Equal(Fixed, _cloud.Node("manager-1").PrivateIp);
    }

    [Fact]
    public async Task WithoutTheReservationAnInterfaceTakesTheAddressAndManagerOneCannotComeBack()
    {
        // What the reservation prevents, as the fake plays it: the same loss with the reservation deleted by hand first.
        var single = ProvisioningComputeTests.Spec with { Managers = ProvisioningComputeTests.Spec.Managers with { Count = 1 } };
        await _cloud.ApplyAsync(single);
        var subnet = await _cloud.SubnetIdAsync("eu-north-1a");
        _cloud.Ec2.DeleteReservationBehindTheBack((await _cloud.Ec2.GetSubnetCidrReservationsAsync(subnet, [], default)).Single().ReservationId);
        _cloud.Ec2.TerminateBehindTheBack(_cloud.Node("manager-1").InstanceId);
        await _cloud.Instances.DescribeInstancesAsync([], default); // terminated

        var placed = Enumerable.Range(0, 12).Select(_ => _cloud.Ec2.PlaceInterfaceBehindTheBack(subnet)).ToList();
        var e = await Assert.ThrowsAsync<FswException>(() => _cloud.ApplyAsync(single));

        Assert.Contains(Fixed, placed);
        Assert.Equal(ErrorCodes.InstanceLaunchFailed, e.Code);
        Assert.Contains($"instance[manager-1] must have the address {Fixed}", e.Message);
    }

    [Fact]
    public async Task AnInstanceThatIsNotManagerOneHoldingTheAddressIsRefusedBeforeTheLaunch()
    {
        var ctx = await _cloud.FoundationsAsync();
        var foreign = await _cloud.Instances.RunInstanceAsync(new InstanceLaunch(FakeImages.DebianAmd64, "t3.micro",
            await _cloud.SubnetIdAsync("eu-north-1a"), [await _cloud.GroupIdAsync("nodes")], "futuswarm-demo-worker", "futuswarm-demo",
            "#cloud-config\n", MetadataOptions.Required, new RootVolume(FakeImages.RootDevice, 20, "gp3", true, true), false,
            new Dictionary<string, string>(), "by-hand", Fixed), default);
        _cloud.ResetCalls();

        var e = await Assert.ThrowsAsync<FswException>(() =>
            ComputeLayer.For(_cloud.Ec2, _cloud.Ssm, ProvisioningComputeTests.Spec, new TestNodeUserData()).ApplyAsync(ctx, default));

        Assert.Equal(ErrorCodes.InstanceLaunchFailed, e.Code);
        Assert.Contains($"instance {foreign.InstanceId} (not the cluster's", e.Message);
        Assert.Empty(_cloud.Mutations);
    }

    [Fact]
    public async Task AManagerOneAtAnotherAddressIsReportedAndNeverReplacedByAPlainApply()
    {
        await _cloud.ApplyAsync();
        var old = _cloud.Node("manager-1");
        _cloud.Ec2.TerminateBehindTheBack(old.InstanceId);
        await _cloud.Instances.DescribeInstancesAsync([], default); // terminated
        // Launched by hand (or before the address was fixed) at an address EC2 picked.
        await _cloud.Instances.RunInstanceAsync(_cloud.Ec2.LaunchOf(old.InstanceId) with { ClientToken = "by-hand", PrivateIpAddress = "10.40.0.20" }, default);
        _cloud.ResetCalls();

        var plan = await _cloud.PlanAsync();
        var refused = await Assert.ThrowsAsync<FswException>(() => _cloud.ApplyAsync());

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ComputeNode.Manager(1), ChangeAction.Replace), (change.Address, change.Action));
        Assert.Equal([$"~ private_ip: 10.40.0.20 -> {Fixed}"], change.Fields.Select(f => f.ToString()));
        Assert.Equal(ErrorCodes.ManagerChangeRefused, refused.Code);
        Assert.Empty(_cloud.Mutations);
    }

    [Fact]
    public async Task AnAddressHeldByAnInterfaceThatIsNoInstanceIsRefusedWithHowToFindIt()
    {
        var ctx = await _cloud.FoundationsAsync();
        var ec2 = new InterfaceAt(_cloud.Ec2, Fixed);

        var e = await Assert.ThrowsAsync<FswException>(() =>
            ComputeLayer.For(ec2, _cloud.Ssm, ProvisioningComputeTests.Spec, new TestNodeUserData()).ApplyAsync(ctx, default));

        Assert.Equal(ErrorCodes.InstanceLaunchFailed, e.Code);
        Assert.Contains($"instance[manager-1] must have the address {Fixed}", e.Message);
        Assert.Contains($"Name=addresses.private-ip-address,Values={Fixed}", e.Message);
        Assert.Empty(_cloud.Ec2.AllInstances);
    }

    /// <summary>EC2 as it answers when a load balancer's or database's interface took the address: no instance holds it,
    /// yet RunInstances refuses it.</summary>
    private sealed class InterfaceAt(FakeEc2Cloud ec2, string address) : IEc2Instances
    {
        private IEc2Instances Inner => ec2;
        public Task<IReadOnlyList<InstanceInfo>> DescribeInstancesAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct) => Inner.DescribeInstancesAsync(filters, ct);
        public Task<IReadOnlyList<VolumeInfo>> DescribeVolumesAsync(IReadOnlyList<string> volumeIds, CancellationToken ct) => Inner.DescribeVolumesAsync(volumeIds, ct);
        public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DescribeInstanceTypesAsync(IReadOnlyList<string> instanceTypes, CancellationToken ct) =>
            Inner.DescribeInstanceTypesAsync(instanceTypes, ct);
        public Task<ImageInfo?> DescribeImageAsync(string imageId, CancellationToken ct) => Inner.DescribeImageAsync(imageId, ct);
        public Task<InstanceInfo> RunInstanceAsync(InstanceLaunch launch, CancellationToken ct) =>
            launch.PrivateIpAddress == address
                ? throw new CloudException("RunInstances", "InvalidIPAddress.InUse", $"Address {address} is in use.")
                : Inner.RunInstanceAsync(launch, ct);
        public Task StartInstanceAsync(string instanceId, CancellationToken ct) => Inner.StartInstanceAsync(instanceId, ct);
        public Task TerminateInstanceAsync(string instanceId, CancellationToken ct) => Inner.TerminateInstanceAsync(instanceId, ct);
        public Task ModifyInstanceMetadataOptionsAsync(string instanceId, MetadataOptions options, CancellationToken ct) =>
            Inner.ModifyInstanceMetadataOptionsAsync(instanceId, options, ct);
        public Task ModifyInstanceSecurityGroupsAsync(string instanceId, IReadOnlyList<string> groupIds, CancellationToken ct) =>
            Inner.ModifyInstanceSecurityGroupsAsync(instanceId, groupIds, ct);
        public Task CreateTagsAsync(string resourceId, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => Inner.CreateTagsAsync(resourceId, tags, ct);
        public Task DeleteTagsAsync(string resourceId, IReadOnlyList<string> keys, CancellationToken ct) => Inner.DeleteTagsAsync(resourceId, keys, ct);
        public Task<string?> GetConsoleOutputAsync(string instanceId, CancellationToken ct) => Inner.GetConsoleOutputAsync(instanceId, ct);
    }
}
