using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// A lost manager-1 in a cluster of several managers: launched again at its fixed address with user data that joins the
/// running swarm as a manager through another manager (never swarm init); a single manager still starts a new swarm;
/// the refusals that protect live managers stay.
/// </summary>
public class ProvisioningComputeRejoinTests
{
    private const string Fixed = "10.40.0.10"; // host 10 of subnet[eu-north-1a]
    private const string ManagerToken = "/futuswarm/demo/swarm/join-token/manager";
    private static readonly ComputeSpec Spec = ProvisioningComputeTests.Spec;
    private static readonly ComputeSpec Single = Spec with { Managers = Spec.Managers with { Count = 1 } };
    private readonly ProvisioningComputeTests.Cloud _cloud = new();

    private Task<Plan> ApplyAsync(ComputeSpec spec) => _cloud.ApplyAsync(spec, new ClusterNodeUserData(spec));

    private async Task LoseManagerOneAsync()
    {
        _cloud.Ec2.TerminateBehindTheBack(_cloud.Node("manager-1").InstanceId);
        await _cloud.Instances.DescribeInstancesAsync([], default); // terminated: its address is free
        _cloud.ResetCalls();
    }

    private string UserDataOfManagerOne() => _cloud.Ec2.LaunchOf(_cloud.Node("manager-1").InstanceId).UserData;

    [Fact]
    public async Task ALostManagerOneIsLaunchedAtItsAddressAsAManagerJoiningThroughManagerTwo()
    {
        await ApplyAsync(Spec);
        var first = UserDataOfManagerOne();
        var via = _cloud.Node("manager-2").PrivateIp!;
        await LoseManagerOneAsync();

        var plan = await _cloud.PlanAsync();
        var applied = await ApplyAsync(Spec);

        var change = Assert.Single(plan.Changes);
        Assert.Equal("+ instance[manager-1] (not found: rejoins the swarm via manager-2)", change.ToString());
        Assert.Contains(new FieldChange("swarm", null, $"joins as a manager via manager-2 ({via}:2377)"), change.Fields);
        Assert.Equal([change.ToString()], applied.Changes.Select(c => c.ToString()));
        var launch = Assert.Single(_cloud.Mutations);
        Assert.StartsWith("RunInstances instance[manager-1] ", launch);
        Assert.EndsWith($" private_ip={Fixed}", launch);
        Assert.Equal(Fixed, _cloud.Node("manager-1").PrivateIp);
        // The first launch initialised the swarm and published its tokens; the relaunch joins through manager-2.
        Assert.Contains("\"init\"", first);
        Assert.Contains("put-parameter", first);
        var rejoin = UserDataOfManagerOne();
        Assert.DoesNotContain("\"init\"", rejoin);
        Assert.DoesNotContain("put-parameter", rejoin);
        Assert.Contains("RemoteAddrs", rejoin);
        // The join request's arguments: advertised at its fixed address, joining at manager-2's.
        Assert.Contains($"\"{Fixed}:2377\", \"{via}:2377\"", rejoin);
        Assert.Contains($"\"{ManagerToken}\"", rejoin);
        Assert.DoesNotMatch(@"SWMTKN-1-[A-Za-z0-9]", rejoin);

        _cloud.ResetCalls();
        Assert.Empty((await ApplyAsync(Spec)).Changes);
        Assert.Empty(_cloud.Mutations);
    }

    [Fact]
    public async Task TheRejoinedManagerOneIsStillNeverReplacedByAPlainApply()
    {
        await ApplyAsync(Spec);
        await LoseManagerOneAsync();
        await ApplyAsync(Spec);
        _cloud.Ec2.ChangeTypeBehindTheBack(_cloud.Node("manager-1").InstanceId, "t3.small");
        _cloud.ResetCalls();

        var e = await Assert.ThrowsAsync<FswException>(() => ApplyAsync(Spec));

        Assert.Equal(ErrorCodes.ManagerChangeRefused, e.Code);
        Assert.Contains("instance[manager-1] would have to be replaced", e.Message);
        Assert.Empty(_cloud.Mutations);
    }

    [Fact]
    public async Task AStoppedManagerTwoIsPassedOverForARunningManagerThree()
    {
        await ApplyAsync(Spec);
        var via = _cloud.Node("manager-3").PrivateIp!;
        _cloud.Ec2.StopBehindTheBack(_cloud.Node("manager-2").InstanceId);
        await LoseManagerOneAsync();

        var applied = await ApplyAsync(Spec);

        Assert.Contains("+ instance[manager-1] (not found: rejoins the swarm via manager-3)", applied.Changes.Select(c => c.ToString()));
        Assert.Contains($"\"{via}:2377\"", UserDataOfManagerOne());
        Assert.Equal("running", _cloud.Node("manager-2").State); // started in the same run
    }

    [Fact]
    public async Task WithNoOtherManagerRunningTheLaunchIsRefusedWithNothingChanged()
    {
        await ApplyAsync(Spec);
        _cloud.Ec2.StopBehindTheBack(_cloud.Node("manager-2").InstanceId);
        _cloud.Ec2.StopBehindTheBack(_cloud.Node("manager-3").InstanceId);
        await LoseManagerOneAsync();

        var e = await Assert.ThrowsAsync<FswException>(() => ApplyAsync(Spec));

        Assert.Equal(ErrorCodes.ManagerChangeRefused, e.Code);
        Assert.Contains("no other manager runs", e.Message);
        Assert.Contains("manager-2: stopped -> running", e.Message);
        Assert.Contains("second swarm", e.Message);
        Assert.Empty(_cloud.Mutations);
    }

    [Fact]
    public async Task ASingleManagerClusterThatLostItsManagerStartsANewSwarm()
    {
        await ApplyAsync(Single);
        await LoseManagerOneAsync();

        var applied = await ApplyAsync(Single);

        Assert.Equal(["+ instance[manager-1] (not found)"], applied.Changes.Select(c => c.ToString()));
        var text = UserDataOfManagerOne();
        Assert.Contains("put-parameter", text);
        Assert.Contains($"\"swarm\", \"init\", \"--advertise-addr\", \"{Fixed}:2377\"", text);
        Assert.DoesNotContain("RemoteAddrs", text); // joins nothing
    }
}
