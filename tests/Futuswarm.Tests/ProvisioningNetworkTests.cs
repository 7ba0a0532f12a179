using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The network layer against the fake EC2: provision, converge, drift, partial failure, destroy.</summary>
public class ProvisioningNetworkTests
{
    internal static readonly NetworkSpec Spec = new(
        "demo", "eu-north-1", "10.40.0.0/16", ["eu-north-1a", "eu-north-1b"],
        ["203.0.113.0/24"], ["198.51.100.0/24"], 2222);

    private readonly FakeEc2Cloud _cloud = new();

    private static ProvisionContext Ctx(List<string>? log = null) => new("demo", WaitOptions.Immediate, log: log is null ? null : log.Add);

    private Task<Plan> ApplyAsync(NetworkSpec? spec = null) =>
        NetworkLayer.For(_cloud, spec ?? Spec).ApplyAsync(Ctx(), CancellationToken.None);

    private Task<Plan> PlanAsync() => NetworkLayer.For(_cloud, Spec).PlanAsync(Ctx(), CancellationToken.None);

    private async Task<SecurityGroupInfo> GroupAsync(string role) =>
        (await _cloud.DescribeSecurityGroupsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo"), Ec2Filter.Tag(ClusterTags.Role, $"security-group[{role}]")], default)).Single();

    private static string Rules(SecurityGroupInfo group, IReadOnlyDictionary<string, string> names) =>
        string.Join("\n", group.Ingress.Select(r => $"{r.Ports} from {r.CidrIp ?? names[r.SourceGroupId!]}").Order(StringComparer.Ordinal));

    private async Task<Dictionary<string, string>> GroupNamesAsync() =>
        (await _cloud.DescribeSecurityGroupsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default))
            .ToDictionary(g => g.GroupId, g => g.Tags[ClusterTags.Role]);

    [Fact]
    public async Task FullProvisionFromNothing()
    {
        var applied = await ApplyAsync();

        Assert.Equal(10, applied.Count(ChangeAction.Create));
        Assert.Equal(10, _cloud.Tagged("demo").Count);
        Assert.Equal(
        [
            "CreateVpc", "ModifyVpcAttribute", "CreateInternetGateway", "AttachInternetGateway", "CreateSubnet", "CreateSubnet",
            "CreateSubnetCidrReservation", "CreateRouteTable", "CreateRoute", "AssociateRouteTable", "AssociateRouteTable",
            "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress",
            "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress",
        ], _cloud.CallNames);

        var vpc = (await _cloud.DescribeVpcsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).Single();
        Assert.Equal("10.40.0.0/16", vpc.CidrBlock);
        Assert.Equal("demo-vpc", vpc.Tags["Name"]);
        Assert.True(await _cloud.DescribeVpcAttributeAsync(vpc.VpcId, VpcAttribute.EnableDnsSupport, default));
        Assert.True(await _cloud.DescribeVpcAttributeAsync(vpc.VpcId, VpcAttribute.EnableDnsHostnames, default));

        var subnets = (await _cloud.DescribeSubnetsAsync([Ec2Filter.Of("vpc-id", vpc.VpcId)], default)).OrderBy(s => s.AvailabilityZone).ToList();
        Assert.Equal(["eu-north-1a 10.40.0.0/20", "eu-north-1b 10.40.16.0/20"], subnets.Select(s => $"{s.AvailabilityZone} {s.CidrBlock}"));
        Assert.All(subnets, s => Assert.False(s.MapPublicIpOnLaunch));

        var gateway = (await _cloud.DescribeInternetGatewaysAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).Single();
        Assert.Equal(vpc.VpcId, gateway.Attachments.Single().VpcId);

        var table = (await _cloud.DescribeRouteTablesAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).Single();
        var route = table.Routes.Single(r => r.DestinationCidrBlock == "0.0.0.0/0");
        Assert.Equal((gateway.InternetGatewayId, "active"), (route.GatewayId, route.State));
        Assert.Equal(subnets.Select(s => s.SubnetId).Order(), table.Associations.Select(a => a.SubnetId).Order());

        var names = await GroupNamesAsync();
        Assert.Equal(
            "tcp 22 from 203.0.113.0/24\ntcp 7946 from security-group[nodes]\nudp 4789 from security-group[nodes]\nudp 7946 from security-group[nodes]",
            Rules(await GroupAsync("nodes"), names));
        Assert.Equal(
            "tcp 2222 from 198.51.100.0/24\ntcp 2377 from security-group[nodes]\ntcp 443 from security-group[lb]\ntcp 80 from security-group[lb]",
            Rules(await GroupAsync("managers"), names));
        Assert.Equal("tcp 443 from 0.0.0.0/0\ntcp 80 from 0.0.0.0/0", Rules(await GroupAsync("lb"), names));
        Assert.Equal("tcp 5432 from security-group[nodes]", Rules(await GroupAsync("database"), names));
        foreach (var id in names.Keys)
            Assert.Equal(vpc.VpcId, (await _cloud.DescribeSecurityGroupsAsync([Ec2Filter.Of("group-id", id)], default)).Single().VpcId);
    }

    [Fact]
    public async Task SecondRunMakesNoMutatingCallAndPlansNothing()
    {
        await ApplyAsync();
        _cloud.ResetCalls();

        var plan = await PlanAsync();
        var applied = await ApplyAsync();

        Assert.True(plan.IsEmpty, plan.ToText());
        Assert.True(applied.IsEmpty, applied.ToText());
        Assert.Empty(_cloud.Calls);
        Assert.True(_cloud.ReadCount > 0);
        Assert.Equal("Cluster \"demo\": no changes, the cloud matches the definition.\n", plan.ToText());
    }

    [Fact]
    public async Task DriftIsRepairedWithExactlyTheNeededCalls()
    {
        await ApplyAsync();
        var nodes = await GroupAsync("nodes");
        var ssh = nodes.Ingress.Single(r => r.FromPort == 22);
        var gateway = (await _cloud.DescribeInternetGatewaysAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).Single();
        // Someone deletes the SSH rule, opens a port of their own and detaches the gateway.
        await _cloud.RevokeSecurityGroupIngressAsync(nodes.GroupId, [ssh], default);
        await _cloud.AuthorizeSecurityGroupIngressAsync(nodes.GroupId, [new IngressRule("tcp", 8080, 8080, "0.0.0.0/0", null)], default);
        await _cloud.DetachInternetGatewayAsync(gateway.InternetGatewayId, gateway.Attachments.Single().VpcId, default);
        _cloud.ResetCalls();

        var plan = await PlanAsync();
        Assert.Equal(
            """
            Cluster "demo": 0 to create, 2 to update, 0 to replace, 0 to delete.

            ~ internet-gateway  # detached
                + attached_to: vpc

            ~ security-group[nodes]  # drifted
                + ingress: tcp 22 from 203.0.113.0/24
                - ingress: tcp 8080 from 0.0.0.0/0

            """, plan.ToText());
        _cloud.ResetCalls();

        await ApplyAsync();

        Assert.Equal(
        [
            $"AttachInternetGateway {gateway.InternetGatewayId} {gateway.Attachments.Single().VpcId}",
            $"AuthorizeSecurityGroupIngress {nodes.GroupId} tcp 22 from 203.0.113.0/24",
            $"RevokeSecurityGroupIngress {nodes.GroupId} tcp 8080 from 0.0.0.0/0",
        ], _cloud.Calls.Select(c => c.ToString()));
        _cloud.ResetCalls();
        Assert.True((await PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task RenamedTagLostRouteDroppedAssociationAndDnsAreRepaired()
    {
        await ApplyAsync();
        var vpc = (await _cloud.DescribeVpcsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).Single();
        var table = (await _cloud.DescribeRouteTablesAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).Single();
        var gatewayId = table.Routes.Single(r => r.DestinationCidrBlock == "0.0.0.0/0").GatewayId!;
        var association = table.Associations.First();
        // Someone renames the VPC, makes the gateway route point nowhere, unhooks one subnet and turns DNS hostnames off.
        await _cloud.CreateTagsAsync(vpc.VpcId, new Dictionary<string, string> { ["Name"] = "renamed" }, default);
        await _cloud.DisassociateRouteTableAsync(association.AssociationId, default);
        await _cloud.ModifyVpcAttributeAsync(vpc.VpcId, VpcAttribute.EnableDnsHostnames, false, default);
        var stray = await _cloud.CreateInternetGatewayAsync(new Dictionary<string, string>(), default);
        await _cloud.DetachInternetGatewayAsync(gatewayId, vpc.VpcId, default);
        await _cloud.AttachInternetGatewayAsync(stray.InternetGatewayId, vpc.VpcId, default);
        await _cloud.ReplaceRouteAsync(table.RouteTableId, "0.0.0.0/0", stray.InternetGatewayId, default);
        await _cloud.DetachInternetGatewayAsync(stray.InternetGatewayId, vpc.VpcId, default);
        _cloud.ResetCalls();

        var plan = await PlanAsync();
        await ApplyAsync();

        Assert.Contains("    ~ tag Name: renamed -> demo-vpc\n", plan.ToText());
        Assert.Contains($"    ~ route 0.0.0.0/0: {stray.InternetGatewayId} -> internet-gateway\n", plan.ToText());
        Assert.Equal(
        [
            $"ModifyVpcAttribute {vpc.VpcId} EnableDnsHostnames=True",
            $"CreateTags {vpc.VpcId} Name=demo-vpc,futuswarm:cluster=demo,futuswarm:role=vpc",
            $"AttachInternetGateway {gatewayId} {vpc.VpcId}",
            $"ReplaceRoute {table.RouteTableId} 0.0.0.0/0 {gatewayId}",
            $"AssociateRouteTable {table.RouteTableId} {association.SubnetId}",
        ], _cloud.Calls.Select(c => c.ToString()));
        _cloud.ResetCalls();
        Assert.True((await PlanAsync()).IsEmpty);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(18)]
    [InlineData(19)]
    public async Task FailureHalfWayThenRerunCompletesWithoutDuplicates(int failingCall)
    {
        _cloud.FailMutatingCall(failingCall);
        var first = Ctx();

        var e = await Assert.ThrowsAsync<FswException>(() => NetworkLayer.For(_cloud, Spec).ApplyAsync(first, default));
        Assert.Equal(ErrorCodes.CloudCallFailed, e.Code);
        Assert.Contains("InternalError", e.Message);
        Assert.Contains("run again", e.Message);
        Assert.Equal(failingCall, _cloud.Calls.Count);
        // The journal names everything the failed run created, including one whose later steps failed.
        Assert.Equal(_cloud.Tagged("demo").Select(t => t.Split(' ')[1]).Order(), first.Journal.Created.Select(c => c.Id).Order());

        await ApplyAsync();

        Assert.Single(await _cloud.DescribeVpcsAsync([], default));
        Assert.Equal(2, (await _cloud.DescribeSubnetsAsync([], default)).Count);
        Assert.Single(await _cloud.DescribeInternetGatewaysAsync([], default));
        Assert.Equal(10, _cloud.Tagged("demo").Count);
        // Every create happened once across both runs; the failed call made nothing.
        var creates = _cloud.Calls.Where(c => c.Name.StartsWith("Create", StringComparison.Ordinal) && !c.Failed && c.Name != "CreateTags");
        Assert.Equal(11, creates.Count());
        _cloud.ResetCalls();
        Assert.True((await PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task EventualConsistencyIsWaitedOutWithoutDuplicates()
    {
        _cloud.VisibilityLag = 2;

        await ApplyAsync();
        _cloud.ResetCalls();
        await ApplyAsync();

        Assert.Empty(_cloud.Calls);
        Assert.Equal(10, _cloud.Tagged("demo").Count);
    }

    [Fact]
    public async Task DestroyDeletesEverythingTaggedInDependencyOrder()
    {
        await ApplyAsync();
        var untouched = _cloud.ResourceCount - 10 - 2; // the VPC's own main table and default group go with it
        _cloud.ResetCalls();

        var destroyed = await NetworkLayer.For(_cloud, Spec).DestroyAsync(Ctx(), CancellationToken.None);

        Assert.Equal(10, destroyed.Count(ChangeAction.Delete));
        Assert.Empty(_cloud.Tagged("demo"));
        Assert.Equal(untouched, _cloud.ResourceCount);
        Assert.Equal(
        [
            "DeleteSecurityGroup", "DeleteSecurityGroup", "DeleteSecurityGroup", "DeleteSecurityGroup",
            "DisassociateRouteTable", "DisassociateRouteTable", "DeleteRouteTable", "DeleteSubnetCidrReservation",
            "DeleteSubnet", "DeleteSubnet", "DetachInternetGateway", "DeleteInternetGateway", "DeleteVpc",
        ], _cloud.CallNames);
        Assert.DoesNotContain(_cloud.Calls, c => c.Failed);
        Assert.Equal(
            ["security-group[database]", "security-group[managers]", "security-group[lb]", "security-group[nodes]"],
            destroyed.Changes.Take(4).Select(c => c.Address.ToString()));
    }

    [Fact]
    public async Task DestroyLeavesOtherClustersAlone()
    {
        await ApplyAsync();
        var other = Spec with { Cluster = "other", VpcCidr = "10.50.0.0/16" };
        await NetworkLayer.For(_cloud, other).ApplyAsync(new ProvisionContext("other", WaitOptions.Immediate), default);

        await NetworkLayer.For(_cloud, Spec).DestroyAsync(Ctx(), default);

        Assert.Empty(_cloud.Tagged("demo"));
        Assert.Equal(10, _cloud.Tagged("other").Count);
        Assert.True((await NetworkLayer.For(_cloud, other).PlanAsync(new ProvisionContext("other", WaitOptions.Immediate), default)).IsEmpty);
    }

    [Fact]
    public async Task ChangedVpcCidrIsRefusedBeforeAnyCall()
    {
        await ApplyAsync();
        _cloud.ResetCalls();

        var e = await Assert.ThrowsAsync<FswException>(() => ApplyAsync(Spec with { VpcCidr = "10.41.0.0/16" }));

        Assert.Equal(ErrorCodes.ReplaceRefused, e.Code);
        Assert.Contains("cidr_block: 10.40.0.0/16 -> 10.41.0.0/16", e.Message);
        Assert.Empty(_cloud.Calls);
    }

    [Fact]
    public async Task AnAddedZoneAndAChangedAdminCidrAreUpdatesOnly()
    {
        await ApplyAsync();
        _cloud.ResetCalls();
        var wider = Spec with { Zones = ["eu-north-1a", "eu-north-1b", "eu-north-1c"], AdminCidrs = ["192.0.2.0/24"] };

        var plan = await NetworkLayer.For(_cloud, wider).PlanAsync(Ctx(), default);

        Assert.Equal(["+ subnet[eu-north-1c]", "~ route-table[public]", "~ security-group[nodes]"],
            plan.Changes.Select(c => $"{c.Symbol} {c.Address}"));
        Assert.Contains(FieldChange.Add("association", "subnet[eu-north-1c]"), plan.Changes[1].Fields);
        Assert.Equal([FieldChange.Add("ingress", "tcp 22 from 192.0.2.0/24"), FieldChange.Remove("ingress", "tcp 22 from 203.0.113.0/24")],
            plan.Changes[2].Fields);

        await NetworkLayer.For(_cloud, wider).ApplyAsync(Ctx(), default);
        Assert.Equal("10.40.32.0/20", (await _cloud.DescribeSubnetsAsync([Ec2Filter.Of("availability-zone", "eu-north-1c")], default)).Single().CidrBlock);
        Assert.True((await NetworkLayer.For(_cloud, wider).PlanAsync(Ctx(), default)).IsEmpty);
    }

    [Fact]
    public async Task TwoResourcesWithOneRoleAreRefused()
    {
        await ApplyAsync();
        await _cloud.CreateVpcAsync("10.60.0.0/16", ClusterTags.For("demo", NetworkAddresses.Vpc), default);

        var e = await Assert.ThrowsAsync<FswException>(PlanAsync);

        Assert.Equal(ErrorCodes.DuplicateCloudResources, e.Code);
        Assert.Contains("vpc is tagged on vpc-", e.Message);
    }

    [Fact]
    public async Task AStraySubnetTaggedForTheClusterIsDeleted()
    {
        await ApplyAsync();
        var vpcId = (await _cloud.DescribeVpcsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).Single().VpcId;
        await _cloud.CreateSubnetAsync(vpcId, "10.40.240.0/20", "eu-north-1c", ClusterTags.For("demo", NetworkAddresses.Subnet("eu-north-1c")), default);
        _cloud.ResetCalls();

        var plan = await PlanAsync();
        await ApplyAsync();

        Assert.Equal("- subnet[eu-north-1c]  # tagged for the cluster but not in the definition", plan.ToText().Split('\n')[2]);
        Assert.Equal(["DeleteSubnet"], _cloud.CallNames);
    }
}
