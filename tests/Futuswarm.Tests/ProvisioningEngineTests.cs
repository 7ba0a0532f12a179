using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The engine's small parts: values, waiters, retries, the journal.</summary>
public class ProvisioningEngineTests
{
    private static readonly WaitOptions Quick = new(TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.Zero, 4);

    [Theory]
    [InlineData("vpc", "vpc", null)]
    [InlineData("subnet[eu-north-1a]", "subnet", "eu-north-1a")]
    [InlineData("security-group[nodes]", "security-group", "nodes")]
    public void AddressesRoundTripThroughTheRoleTag(string role, string kind, string? name)
    {
        var address = ResourceAddress.Parse(role)!.Value;

        Assert.Equal(new ResourceAddress(kind, name), address);
        Assert.Equal(role, address.Role);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("[x]")]
    [InlineData("subnet[a")]
    public void ForeignRoleTagsDoNotParse(string? role) => Assert.Null(ResourceAddress.Parse(role));

    [Fact]
    public void TagsNameTheClusterTheRoleAndAReadableName()
    {
        var tags = ClusterTags.For("demo", new ResourceAddress("subnet", "eu-north-1a"));

        Assert.Equal(["Name=demo-subnet-eu-north-1a", "futuswarm:cluster=demo", "futuswarm:role=subnet[eu-north-1a]"],
            tags.Select(t => $"{t.Key}={t.Value}"));
    }

    [Fact]
    public void ChangesAreValues()
    {
        Change Make() => new(new ResourceAddress("vpc"), ChangeAction.Update, "drifted", [new FieldChange("enable_dns_hostnames", "false", "true")]);

        Assert.Equal(Make(), Make());
        Assert.NotEqual(Make(), Make() with { Reason = "other" });
        Assert.Equal("~ enable_dns_hostnames: false -> true", Make().Fields[0].ToString());
        Assert.Equal("~ vpc (drifted)", Make().ToString());
    }

    [Fact]
    public void AnEmptyPlanSaysSo()
    {
        var plan = new Plan("demo", []);

        Assert.True(plan.IsEmpty);
        Assert.Equal("Cluster \"demo\": no changes, the cloud matches the definition.\n", plan.ToText());
    }

    [Fact]
    public async Task WaiterReturnsOnceTheTargetStateIsSeen()
    {
        var states = new Queue<string?>([null, "pending", "available"]);
        var progress = new List<string>();

        var seen = await Waiter.UntilAsync("thing", _ => Task.FromResult(states.Dequeue()), s => s == "available", Quick, default, progress.Add);

        Assert.Equal("available", seen);
        Assert.Equal(["waiting for thing (1)", "waiting for thing (2)"], progress);
    }

    [Fact]
    public async Task WaiterCountsNotFoundAsPending()
    {
        var calls = 0;

        var seen = await Waiter.UntilAsync("vpc-1", _ => ++calls < 3 ? throw new CloudException("DescribeVpcs", "InvalidVpcID.NotFound", "no") : Task.FromResult<string?>("ok"),
            _ => true, Quick, default);

        Assert.Equal("ok", seen);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task WaiterGivesUpWithACodeAfterItsBound()
    {
        var calls = 0;

        var e = await Assert.ThrowsAsync<FswException>(() =>
            Waiter.UntilAsync("gateway igw-1 to be attached", _ => { calls++; return Task.FromResult<string?>("attaching"); }, s => s == "available", Quick, default));

        Assert.Equal(ErrorCodes.ProvisionWaitTimedOut, e.Code);
        Assert.Equal(4, calls);
        Assert.Contains("gateway igw-1 to be attached", e.Message);
        Assert.Contains("last seen: attaching", e.Message);
    }

    [Fact]
    public async Task WaiterStopsOnOtherErrors()
    {
        await Assert.ThrowsAsync<CloudException>(() =>
            Waiter.UntilAsync<string>("x", _ => throw new CloudException("DescribeVpcs", "UnauthorizedOperation", "no"), _ => true, Quick, default));
    }

    [Fact]
    public async Task RetryRepeatsOnlyRetryableErrorsAndOnlyWithinItsBound()
    {
        var calls = 0;
        var result = await Retry.OnEventualConsistencyAsync(
            _ => ++calls < 3 ? throw new CloudException("CreateSubnet", "InvalidVpcID.NotFound", "not yet") : Task.FromResult("subnet-1"),
            Retry.NotFoundYet, Quick, default);
        Assert.Equal(("subnet-1", 3), (result, calls));

        calls = 0;
        var refused = await Assert.ThrowsAsync<CloudException>(() => Retry.OnEventualConsistencyAsync(
            _ => { calls++; throw new CloudException("CreateSubnet", "InvalidSubnet.Conflict", "overlap"); }, Retry.NotFoundYet, Quick, default));
        Assert.Equal(("InvalidSubnet.Conflict", 1), (refused.Code, calls));

        calls = 0;
        var exhausted = await Assert.ThrowsAsync<CloudException>(() => Retry.OnEventualConsistencyAsync(
            _ => { calls++; throw new CloudException("DeleteVpc", "DependencyViolation", "busy"); }, Retry.DependentsGoing, Quick, default));
        Assert.Equal(("DependencyViolation", 4), (exhausted.Code, calls));
    }

    [Fact]
    public void TheJournalKeepsWhatWasDoneAndLogsIt()
    {
        var log = new List<string>();
        var journal = new ApplyJournal(log.Add);

        journal.Record(new ResourceAddress("vpc"), ChangeAction.Create, "vpc-1", "not found");
        journal.Record(new ResourceAddress("subnet", "a"), ChangeAction.Update, "subnet-1", "+ tag Name: x");

        Assert.Equal(["create vpc vpc-1: not found", "update subnet[a] subnet-1: + tag Name: x"], log);
        Assert.Equal("vpc-1", journal.Created.Single().Id);
    }

    [Fact]
    public void DelaysGrowAndStayBounded()
    {
        var options = new WaitOptions(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 10);

        Assert.Equal(TimeSpan.FromSeconds(2), options.DelayBefore(1));
        Assert.Equal(TimeSpan.FromSeconds(3), options.DelayBefore(2));
        Assert.Equal(TimeSpan.FromSeconds(5), options.DelayBefore(9));
    }
}
