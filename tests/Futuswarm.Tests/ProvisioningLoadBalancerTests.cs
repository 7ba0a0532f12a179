using Futuswarm.Cluster.Provisioning.Access;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.LoadBalancer;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// The load balancer layer against the fake ELBv2, after the network and access layers on their fakes in the same
/// context (so subnet, group, VPC and certificate ids exist): provision, converge, drift, the certificate pending,
/// failures at every call, destroy.
/// </summary>
public class ProvisioningLoadBalancerTests
{
    private const string AdminKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICwh+35uUbojKaNburipr1MJmyHg9EHLUpaBZqTTCMgY admin@example";
    private static readonly AccessSpec Access = new("demo", "apps.example.com", AdminKey);
    private static readonly LoadBalancerSpec Spec = new("demo", "apps.example.com", 3, ["eu-north-1a", "eu-north-1b"]);
    private static readonly string[] Instances = ["i-0000000000000a001", "i-0000000000000a002", "i-0000000000000a003"];

    private readonly FakeEc2Cloud _ec2 = new();
    private readonly FakeKeyPairs _keys = new();
    private readonly FakeAcmCloud _acm = new();
    private readonly FakeElbV2Cloud _elb;
    private readonly List<string> _log = [];

    public ProvisioningLoadBalancerTests() => _elb = new FakeElbV2Cloud(_acm);

    private Reconciler Layer(LoadBalancerSpec? spec = null) => LoadBalancerLayer.For(_elb, _acm, spec ?? Spec);

    /// <summary>A fresh run's context after the network and access layers (their ids in it, converged or not) and the managers' ids.</summary>
    private async Task<ProvisionContext> PreparedAsync(int knownManagers = 3)
    {
        var ctx = new ProvisionContext("demo", WaitOptions.Immediate, log: _log.Add);
        await NetworkLayer.For(_ec2, ProvisioningNetworkTests.Spec).ApplyAsync(ctx, CancellationToken.None);
        await AccessLayer.For(_keys, _acm, _acm, Access).ApplyAsync(ctx, CancellationToken.None);
        for (var i = 1; i <= knownManagers; i++) ctx.Known(LoadBalancerAddresses.Manager(i), Instances[i - 1]);
        return ctx;
    }

    private async Task<Plan> ApplyAsync(ProvisionContext? ctx = null) => await Layer().ApplyAsync(ctx ?? await PreparedAsync(), CancellationToken.None);
    private async Task<Plan> PlanAsync(ProvisionContext? ctx = null) => await Layer().PlanAsync(ctx ?? await PreparedAsync(), CancellationToken.None);

    /// <summary>The network and the certificate, issued as if the operator had created the CNAMEs; no ELBv2 call yet.</summary>
    private async Task IssuedCertificateAsync()
    {
        await PreparedAsync();
        _acm.Issue(CertificateArn);
        ResetCalls();
    }

    private string CertificateArn => _acm.Certificates.Single().Arn;

    private void ResetCalls()
    {
        _ec2.ResetCalls();
        _keys.ResetCalls();
        _acm.ResetCalls();
        _elb.ResetCalls();
        _log.Clear();
    }

    /// <summary>Every mutating call of every fake; the network and access calls are there to show there are none.</summary>
    private IReadOnlyList<string> Mutations =>
        [.. _ec2.CallNames, .. _keys.CallNames, .. _acm.CallNames, .. _elb.Calls.Select(c => c.Name + (c.Name == "CreateListener" ? " " + c.Detail : ""))];

    private async Task<ElbLoadBalancer> LoadBalancerAsync() => (await _elb.DescribeLoadBalancersAsync([], default)).Single();

    private async Task<ElbListener> ListenerAsync(int port) =>
        (await _elb.DescribeListenersAsync((await LoadBalancerAsync()).Arn, default)).Single(l => l.Port == port);

    private async Task<string> GroupIdAsync(string role) =>
        (await _ec2.DescribeSecurityGroupsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo"), Ec2Filter.Tag(ClusterTags.Role, $"security-group[{role}]")], default)).Single().GroupId;

    private static readonly string[] FromNothing =
    [
        "CreateLoadBalancer", "CreateTargetGroup", "CreateListener 80 HTTP", "CreateListener 443 HTTPS",
        "RegisterTargets", "RegisterTargets", "RegisterTargets",
    ];

    [Fact]
    public async Task ProvisionFromNothing()
    {
        await IssuedCertificateAsync();

        var applied = await ApplyAsync();

        Assert.Equal(7, applied.Count(ChangeAction.Create));
        Assert.Equal(FromNothing, Mutations);

        var lb = await LoadBalancerAsync();
        Assert.Equal(("futuswarm-demo", "internet-facing", "application", "active"), (lb.Name, lb.Scheme, lb.Type, lb.State));
        var subnets = await _ec2.DescribeSubnetsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default);
        Assert.Equal(subnets.Select(s => s.SubnetId).Order(), lb.SubnetIds.Order());
        Assert.Equal([await GroupIdAsync("lb")], lb.SecurityGroupIds);

        var group = (await _elb.DescribeTargetGroupsAsync([], null, default)).Single();
        var vpc = (await _ec2.DescribeVpcsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).Single();
        Assert.Equal(("fsw-demo-edge", "HTTP", 80, vpc.VpcId, "instance"), (group.Name, group.Protocol, group.Port, group.VpcId, group.TargetType));
        Assert.Equal(("HTTP", "/", "traffic-port", "200-499"), (group.HealthCheckProtocol, group.HealthCheckPath, group.HealthCheckPort, group.Matcher));

        var http = await ListenerAsync(80);
        Assert.Equal(ElbAction.RedirectToHttps(), Assert.Single(http.DefaultActions));
        var https = await ListenerAsync(443);
        Assert.Equal(("HTTPS", ElbListenerSpec.DefaultSslPolicy), (https.Protocol, https.SslPolicy));
        Assert.Equal([CertificateArn], https.CertificateArns);
        Assert.Equal(ElbAction.Forward(group.Arn), Assert.Single(https.DefaultActions));

        Assert.Equal(Instances.Select(i => $"{i}:80"), _elb.RegisteredTargets);

        // Everything is tagged for the cluster with its role; ACM counts the load balancer among the certificate's users.
        var tags = await _elb.DescribeTagsAsync(_elb.TaggedArns("demo"), default);
        Assert.Equal(["listener[http]", "listener[https]", "load-balancer", "target-group[edge]"], tags.Values.Select(t => t[ClusterTags.Role]).Order());
        Assert.Equal([lb.Arn], (await _acm.DescribeCertificateAsync(CertificateArn, default))!.InUseBy);
        Assert.Contains(_log, l => l.Contains(lb.DnsName) && l.Contains("*.apps.example.com"));
        Assert.DoesNotContain(applied.Changes, CertificateGate.IsDeferred);
    }

    [Fact]
    public async Task SecondRunMakesNoMutatingCall()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        ResetCalls();

        var ctx = await PreparedAsync();
        Assert.True((await PlanAsync(ctx)).IsEmpty);
        Assert.True((await ApplyAsync(ctx)).IsEmpty);
        Assert.True((await ApplyAsync()).IsEmpty);

        Assert.Empty(Mutations);
        Assert.True(_elb.ReadCount > 0);
        Assert.Empty(ctx.Deferred);
    }

    [Fact]
    public async Task DeletedHttpListenerIsCreatedAgain()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        await _elb.DeleteListenerAsync((await ListenerAsync(80)).Arn, default);
        ResetCalls();

        var plan = await PlanAsync();
        Assert.Equal("+ listener[http] (not found)", plan.Changes.Single().ToString());
        await ApplyAsync();

        Assert.Equal(["CreateListener 80 HTTP"], Mutations);
        Assert.Equal(ElbAction.RedirectToHttps(), (await ListenerAsync(80)).DefaultActions.Single());
    }

    [Fact]
    public async Task HttpListenerForwardingInsteadOfRedirectingIsPutBack()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var group = (await _elb.DescribeTargetGroupsAsync([], null, default)).Single().Arn;
        var http = await ListenerAsync(80);
        await _elb.ModifyListenerAsync(new ElbListenerChange(http.Arn, DefaultAction: ElbAction.Forward(group)), default);
        ResetCalls();

        var change = (await PlanAsync()).Changes.Single();
        Assert.Equal((LoadBalancerAddresses.HttpListener, ChangeAction.Update), (change.Address, change.Action));
        Assert.Equal("~ default_action: forward to target-group[edge] -> redirect to HTTPS:443 (HTTP_301)", change.Fields.Single().ToString());
        await ApplyAsync();

        Assert.Equal([$"ModifyListener {http.Arn}"], _elb.Calls.Select(c => c.ToString()));
        Assert.Equal(ElbAction.RedirectToHttps(), (await ListenerAsync(80)).DefaultActions.Single());
        Assert.Equal(http.Arn, (await ListenerAsync(80)).Arn);
    }

    [Fact]
    public async Task HttpsListenerWithAnotherPolicyGetsOnlyThePolicyBack()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var https = await ListenerAsync(443);
        await _elb.ModifyListenerAsync(new ElbListenerChange(https.Arn, SslPolicy: "ELBSecurityPolicy-2016-08"), default);
        ResetCalls();

        await ApplyAsync();

        Assert.Equal([$"ModifyListener {https.Arn}"], _elb.Calls.Select(c => c.ToString()));
        Assert.Equal(ElbListenerSpec.DefaultSslPolicy, (await ListenerAsync(443)).SslPolicy);
    }

    [Fact]
    public async Task HttpsListenerWithAnotherCertificateGetsTheClustersBack()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var other = await _acm.RequestCertificateAsync(AcmCertificateRequest.Wildcard("other.example.com", "other", new Dictionary<string, string>()), default);
        _acm.Issue(other);
        var https = await ListenerAsync(443);
        await _elb.ModifyListenerAsync(new ElbListenerChange(https.Arn, CertificateArn: other), default);
        ResetCalls();

        var change = (await PlanAsync()).Changes.Single();
        Assert.Equal($"~ certificate: {other} -> certificate[apps.example.com]", change.Fields.Single().ToString());
        await ApplyAsync();

        Assert.Equal([$"ModifyListener {https.Arn}"], _elb.Calls.Select(c => c.ToString()));
        var cert = _acm.Certificates.Single(c => c.DomainName == "*.apps.example.com").Arn;
        Assert.Equal([cert], (await ListenerAsync(443)).CertificateArns);
        Assert.Empty((await _acm.DescribeCertificateAsync(other, default))!.InUseBy);
    }

    [Fact]
    public async Task TargetGroupOnAnotherPortIsReplacedAndItsListenerMadeAgain()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        // Someone rebuilt the group by hand on port 8080, with the cluster's tags, and pointed 443 at it.
        var lb = (await LoadBalancerAsync()).Arn;
        var old = (await _elb.DescribeTargetGroupsAsync([], null, default)).Single();
        await _elb.DeleteListenerAsync((await ListenerAsync(443)).Arn, default);
        await _elb.DeleteTargetGroupAsync(old.Arn, default);
        var tags = (await _elb.DescribeTagsAsync(_elb.TaggedArns("demo"), default)).Values.First(t => t[ClusterTags.Role] == "load-balancer");
        var handMade = await _elb.CreateTargetGroupAsync(new ElbTargetGroupSpec("fsw-demo-edge", "HTTP", 8080, old.VpcId,
            new Dictionary<string, string>(tags) { [ClusterTags.Role] = "target-group[edge]", ["Name"] = "demo-target-group-edge" }), default);
        await _elb.CreateListenerAsync(ElbListenerSpec.HttpsForward(lb, CertificateArn, handMade.Arn, new Dictionary<string, string>()), default);
        ResetCalls();

        var plan = await PlanAsync();
        Assert.Equal("-/+ target-group[edge] (name, protocol, port, VPC and target type cannot change in place)", plan.Changes[0].ToString());
        await ApplyAsync();

        var https = "CreateListener 443 HTTPS";
        Assert.Equal(["DeleteListener", "DeleteTargetGroup", "CreateTargetGroup", https, "RegisterTargets", "RegisterTargets", "RegisterTargets"],
            _elb.Calls.Select(c => c.Name == "CreateListener" ? $"{c.Name} {c.Detail}" : c.Name));
        var group = (await _elb.DescribeTargetGroupsAsync([], null, default)).Single();
        Assert.Equal(80, group.Port);
        Assert.Equal(ElbAction.Forward(group.Arn), (await ListenerAsync(443)).DefaultActions.Single());
        Assert.True((await PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task ListenerOnAnotherPortIsDeletedAndMissingTagsPutBack()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var lb = (await LoadBalancerAsync()).Arn;
        var stray = await _elb.CreateListenerAsync(ElbListenerSpec.HttpRedirectToHttps(lb, new Dictionary<string, string>()) with { Port = 8080 }, default);
        var http = await ListenerAsync(80);
        await _elb.AddTagsAsync([http.Arn], new Dictionary<string, string> { [ClusterTags.Name] = "renamed" }, default);
        ResetCalls();

        var plan = await PlanAsync();
        Assert.Equal(["~ listener[http] (drifted)", "- listener[port-8080] (tagged for the cluster but not in the definition)"],
            plan.Changes.Select(c => c.ToString()));
        await ApplyAsync();

        Assert.Equal([$"AddTags {http.Arn}", $"DeleteListener {stray.Arn}"], _elb.Calls.Select(c => c.ToString()));
        Assert.Equal("demo-listener-http", (await _elb.DescribeTagsAsync([http.Arn], default))[http.Arn][ClusterTags.Name]);
    }

    [Fact]
    public async Task DeregisteredManagerIsRegisteredAgain()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var group = (await _elb.DescribeTargetGroupsAsync([], null, default)).Single().Arn;
        await _elb.DeregisterTargetsAsync(group, [new ElbTarget(Instances[1])], default);
        ResetCalls();

        var change = (await PlanAsync()).Changes.Single();
        Assert.Equal("+ target[manager-2] (not registered)", change.ToString());
        await ApplyAsync();

        Assert.Equal([$"RegisterTargets {Instances[1]}"], _elb.Calls.Select(c => c.ToString()));
        Assert.Equal(Instances.Select(i => $"{i}:80"), _elb.RegisteredTargets);
    }

    [Fact]
    public async Task ForeignTargetIsDeregistered()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var group = (await _elb.DescribeTargetGroupsAsync([], null, default)).Single().Arn;
        await _elb.RegisterTargetsAsync(group, [new ElbTarget("i-0ffffffffffffffff")], default);
        ResetCalls();

        var change = (await PlanAsync()).Changes.Single();
        Assert.Equal("- target[i-0ffffffffffffffff] (registered but not one of the cluster's managers)", change.ToString());
        await ApplyAsync();

        Assert.Equal(["DeregisterTargets i-0ffffffffffffffff"], _elb.Calls.Select(c => c.ToString()));
        Assert.Equal(Instances.Select(i => $"{i}:80"), _elb.RegisteredTargets);
    }

    [Fact]
    public async Task ChangedSecurityGroupsAreSetBackInPlace()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var lb = await LoadBalancerAsync();
        var nodes = await GroupIdAsync("nodes");
        await _elb.SetSecurityGroupsAsync(lb.Arn, [nodes], default);
        ResetCalls();

        var change = (await PlanAsync()).Changes.Single();
        Assert.Equal(["+ security_group: security-group[lb]", "- security_group: security-group[nodes]"], change.Fields.Select(f => f.ToString()));
        await ApplyAsync();

        Assert.Equal([$"SetSecurityGroups {lb.Arn}"], _elb.Calls.Select(c => c.ToString()));
        Assert.Equal([await GroupIdAsync("lb")], (await LoadBalancerAsync()).SecurityGroupIds);
        Assert.Equal(lb.Arn, (await LoadBalancerAsync()).Arn);
    }

    [Fact]
    public async Task MissingSubnetAndChangedHealthCheckAreRepairedInPlace()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var lb = await LoadBalancerAsync();
        var group = (await _elb.DescribeTargetGroupsAsync([], null, default)).Single().Arn;
        var other = await _ec2.CreateSubnetAsync((await _ec2.DescribeVpcsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default)).Single().VpcId,
            "10.40.32.0/20", "eu-north-1c", new Dictionary<string, string>(), default);
        await _elb.SetSubnetsAsync(lb.Arn, [lb.SubnetIds[0], other.SubnetId], default);
        await _elb.ModifyTargetGroupAsync(group, new ElbHealthCheck(Path: "/healthz", Matcher: "200"), default);
        ResetCalls();

        var plan = await PlanAsync();
        Assert.Equal(["~ load-balancer (drifted)", "~ target-group[edge] (drifted)"], plan.Changes.Select(c => c.ToString()));
        Assert.Equal("~ health_check: HTTP /healthz on traffic-port, healthy at 200 -> HTTP / on traffic-port, healthy at 200-499",
            plan.Changes[1].Fields.Single().ToString());
        await ApplyAsync();

        Assert.Equal([$"SetSubnets {lb.Arn}", $"ModifyTargetGroup {group}"], _elb.Calls.Select(c => c.ToString()));
        Assert.Equal(lb.SubnetIds.Order(), (await LoadBalancerAsync()).SubnetIds.Order());
        Assert.True((await PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task PendingCertificateDefersOnlyTheHttpsListenerThenALaterRunCreatesIt()
    {
        // The first run: the certificate was just requested, nobody has created the CNAMEs yet.
        var ctx = await PreparedAsync();
        ResetCalls();

        var plan = await PlanAsync(ctx);
        var https = plan.Changes.Single(c => c.Address == LoadBalancerAddresses.HttpsListener);
        Assert.Equal(CertificateGate.PendingReason, https.Reason);

        var applied = await ApplyAsync(ctx);
        Assert.Equal(FromNothing.Where(c => c != "CreateListener 443 HTTPS"), Mutations);
        Assert.Equal(6, applied.Count(ChangeAction.Create));
        Assert.DoesNotContain(applied.Changes, c => c.Address == LoadBalancerAddresses.HttpsListener);
        var deferred = Assert.Single(ctx.Deferred);
        Assert.Equal((LoadBalancerAddresses.HttpsListener, "waits for the certificate's DNS validation: add the CNAME records printed above and run again"),
            (deferred.Address, deferred.Reason));
        Assert.Contains("listener[https]: not made in this run: waits for the certificate's DNS validation: add the CNAME records printed above and run again", _log);
        Assert.Equal(["80 HTTP redirect"], _elb.ListenerSummaries);

        // Runs before validation change nothing and say so again.
        ResetCalls();
        var again = await PreparedAsync();
        Assert.True((await ApplyAsync(again)).IsEmpty);
        Assert.Empty(Mutations);
        Assert.Single(again.Deferred);

        // The operator's CNAMEs resolved: the next run creates the HTTPS listener and nothing else.
        _acm.Issue(CertificateArn);
        ResetCalls();
        var issued = await PreparedAsync();
        await ApplyAsync(issued);
        Assert.Equal(["CreateListener 443 HTTPS"], Mutations);
        Assert.Empty(issued.Deferred);
        Assert.Equal([CertificateArn], (await ListenerAsync(443)).CertificateArns);

        ResetCalls();
        Assert.True((await ApplyAsync()).IsEmpty);
        Assert.Empty(Mutations);
    }

    [Fact]
    public async Task TimedOutCertificateDefersWithWhatToDo()
    {
        await PreparedAsync();
        var failed = new FakeAcmStatus(_acm, "VALIDATION_TIMED_OUT");
        var ctx = await PreparedAsync();

        var plan = await LoadBalancerLayer.For(_elb, failed, Spec).PlanAsync(ctx, CancellationToken.None);

        Assert.Equal("waits for a usable certificate: certificate[apps.example.com] is VALIDATION_TIMED_OUT and ACM will not issue it; "
            + "delete it in ACM and run again to request a new one", plan.Changes.Single(c => c.Address == LoadBalancerAddresses.HttpsListener).Reason);
    }

    [Fact]
    public async Task ManagersWithoutInstancesYetAreSkippedWithANote()
    {
        await IssuedCertificateAsync();
        var ctx = await PreparedAsync(knownManagers: 1);

        await ApplyAsync(ctx);

        Assert.Equal([$"{Instances[0]}:80"], _elb.RegisteredTargets);
        Assert.Contains("target[manager-2]: instance[manager-2] has no instance yet; the run after it exists registers it.", _log);
        Assert.Contains("target[manager-3]: instance[manager-3] has no instance yet; the run after it exists registers it.", _log);

        ResetCalls();
        await ApplyAsync();
        Assert.Equal(["RegisterTargets", "RegisterTargets"], Mutations);
    }

    [Fact]
    public async Task ARunThatDoesNotKnowTheOtherLayersIdsChangesNothing()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var group = (await _elb.DescribeTargetGroupsAsync([], null, default)).Single().Arn;
        await _elb.RegisterTargetsAsync(group, [new ElbTarget("i-0ffffffffffffffff")], default);
        ResetCalls();

        // No network, certificate or instance ids in the context: nothing it sees is evidence of drift.
        var ctx = new ProvisionContext("demo", WaitOptions.Immediate, log: _log.Add);
        var plan = await Layer().PlanAsync(ctx, CancellationToken.None);
        await Layer().ApplyAsync(ctx, CancellationToken.None);

        Assert.True(plan.IsEmpty, plan.ToText());
        Assert.Empty(_elb.Calls);
        Assert.Empty(ctx.Deferred);
        Assert.Contains("target: other registered targets are kept while instance[manager-1], instance[manager-2], instance[manager-3] is unknown.", _log);
        Assert.Equal(4, _elb.RegisteredTargets.Count);
    }

    [Fact]
    public async Task FailureAtEveryMutatingCallThenARerunCompletesWithoutDuplicates()
    {
        for (var failAt = 1; failAt <= FromNothing.Length; failAt++)
        {
            var t = new ProvisioningLoadBalancerTests();
            await t.IssuedCertificateAsync();
            t._elb.FailMutatingCall(failAt);

            var e = await Assert.ThrowsAsync<FswException>(() => t.ApplyAsync());
            Assert.Equal(ErrorCodes.CloudCallFailed, e.Code);
            Assert.Contains("injected failure", e.Message);
            Assert.Equal(FromNothing[failAt - 1], t.Mutations[^1]);

            await t.ApplyAsync();
            Assert.Single(t._elb.LoadBalancerNames);
            Assert.Single(t._elb.TargetGroupNames);
            Assert.Equal(["80 HTTP redirect", $"443 HTTPS forward {t.CertificateArn}"], t._elb.ListenerSummaries);
            Assert.Equal(Instances.Select(i => $"{i}:80"), t._elb.RegisteredTargets);
            // Every call of the from-nothing run happened once, plus the one refused.
            Assert.Equal(FromNothing.Length + 1, t._elb.Calls.Count);

            t.ResetCalls();
            Assert.True((await t.ApplyAsync()).IsEmpty, $"failure at call {failAt}");
            Assert.Empty(t.Mutations);
        }
    }

    [Fact]
    public async Task DestroyDeletesListenersThenTheGroupThenTheLoadBalancerAndLeavesNothingTagged()
    {
        await IssuedCertificateAsync();
        await ApplyAsync();
        var lb = (await LoadBalancerAsync()).Arn;
        var group = (await _elb.DescribeTargetGroupsAsync([], null, default)).Single().Arn;
        var http = (await ListenerAsync(80)).Arn;
        var https = (await ListenerAsync(443)).Arn;
        ResetCalls();

        var destroyed = await Layer().DestroyAsync(new ProvisionContext("demo", WaitOptions.Immediate), CancellationToken.None);

        Assert.Equal(["- listener[https] (destroy)", "- listener[http] (destroy)", "- target-group[edge] (destroy)", "- load-balancer (destroy)"],
            destroyed.Changes.Select(c => c.ToString()));
        Assert.Equal([$"DeleteListener {https}", $"DeleteListener {http}", $"DeleteTargetGroup {group}", $"DeleteLoadBalancer {lb}"],
            _elb.Calls.Select(c => c.ToString()));
        Assert.Empty(_elb.Tagged("demo"));
        Assert.Empty(_elb.LoadBalancerNames);
        Assert.Empty(_elb.TargetGroupNames);
        // The certificate is no longer in use, so the access layer's destroy can delete it.
        Assert.Empty((await _acm.DescribeCertificateAsync(CertificateArn, default))!.InUseBy);

        ResetCalls();
        Assert.True((await Layer().DestroyAsync(new ProvisionContext("demo", WaitOptions.Immediate), CancellationToken.None)).IsEmpty);
        Assert.Empty(_elb.Calls);
    }

    [Fact]
    public async Task LoadBalancerNameTakenByAnUntaggedOneSaysWhatToDo()
    {
        await IssuedCertificateAsync();
        await _elb.CreateLoadBalancerAsync(new ElbLoadBalancerSpec("futuswarm-demo", ["subnet-a", "subnet-b"], [], new Dictionary<string, string>()), default);
        ResetCalls();

        var e = await Assert.ThrowsAsync<FswException>(() => ApplyAsync());

        Assert.Equal(ErrorCodes.CloudCallFailed, e.Code);
        Assert.Contains("DuplicateLoadBalancerName", e.Message);
        Assert.Contains("a load balancer named futuswarm-demo exists but is not tagged futuswarm:cluster=demo", e.Message);
        Assert.Contains("futuswarm:role=load-balancer", e.Message);
    }

    [Theory]
    [InlineData(2, "managers")]
    [InlineData(0, "managers")]
    public void InvalidSpecIsRefusedNamingTheField(int managers, string field)
    {
        var e = Assert.Throws<FswException>(() => LoadBalancerLayer.For(_elb, _acm, Spec with { ManagerCount = managers }));
        Assert.Equal(ErrorCodes.LoadBalancerSpecInvalid, e.Code);
        Assert.Contains($"The load balancer's {field}", e.Message);
        var zones = Assert.Throws<FswException>(() => LoadBalancerLayer.For(_elb, _acm, Spec with { Zones = ["eu-north-1a"] }));
        Assert.Contains("zones", zones.Message);
    }

    [Fact]
    public async Task PlanTextFromNothing()
    {
        var plan = await PlanAsync();

        Assert.Equal("""
            Cluster "demo": 7 to create, 0 to update, 0 to replace, 0 to delete.

            + load-balancer  # not found
                + name: futuswarm-demo
                + scheme: internet-facing
                + type: application
                + subnet: subnet[eu-north-1a]
                + subnet: subnet[eu-north-1b]
                + security_group: security-group[lb]

            + target-group[edge]  # not found
                + name: fsw-demo-edge
                + protocol: HTTP
                + port: 80
                + vpc: vpc
                + target_type: instance
                + health_check: HTTP / on traffic-port, healthy at 200-499

            + listener[http]  # not found
                + protocol: HTTP
                + port: 80
                + default_action: redirect to HTTPS:443 (HTTP_301)

            + listener[https]  # waits for the certificate's DNS validation: add the CNAME records printed above and run again
                + protocol: HTTPS
                + port: 443
                + default_action: forward to target-group[edge]
                + certificate: certificate[apps.example.com]
                + ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-06

            + target[manager-1]  # not registered
                + instance: instance[manager-1]
                + port: 80

            + target[manager-2]  # not registered
                + instance: instance[manager-2]
                + port: 80

            + target[manager-3]  # not registered
                + instance: instance[manager-3]
                + port: 80

            """.ReplaceLineEndings("\n"), plan.ToText());
    }

    [Fact]
    public async Task TheFakeRefusesWhatElbV2Refuses()
    {
        var arn = await _acm.RequestCertificateAsync(AcmCertificateRequest.Wildcard("apps.example.com", "t", new Dictionary<string, string>()), default);
        var none = new Dictionary<string, string>();
        var lb = await _elb.CreateLoadBalancerAsync(new ElbLoadBalancerSpec("lb", ["subnet-a", "subnet-b"], ["sg-a"], none), default);
        var group = await _elb.CreateTargetGroupAsync(new ElbTargetGroupSpec("tg", "HTTP", 80, "vpc-a", none), default);

        async Task<string> Code(Func<Task> call) => (await Assert.ThrowsAsync<AwsApiException>(call)).AwsCode;
        Assert.Equal("DuplicateLoadBalancerName", await Code(() => _elb.CreateLoadBalancerAsync(new ElbLoadBalancerSpec("lb", ["subnet-a", "subnet-b"], [], none), default)));
        Assert.Equal("ValidationError", await Code(() => _elb.CreateLoadBalancerAsync(new ElbLoadBalancerSpec("one-zone", ["subnet-a"], [], none), default)));
        Assert.Equal("DuplicateTargetGroupName", await Code(() => _elb.CreateTargetGroupAsync(new ElbTargetGroupSpec("tg", "HTTP", 80, "vpc-a", none), default)));
        Assert.Equal("CertificateNotFound", await Code(() => _elb.CreateListenerAsync(ElbListenerSpec.HttpsForward(lb.Arn, arn, group.Arn, none), default)));
        Assert.Equal("TargetGroupNotFound", await Code(() => _elb.RegisterTargetsAsync(group.Arn + "x", [new ElbTarget("i-1")], default)));
        Assert.Equal("InvalidTarget", await Code(() => _elb.RegisterTargetsAsync(group.Arn, [new ElbTarget("not-an-instance")], default)));

        _acm.Issue(arn);
        await _elb.CreateListenerAsync(ElbListenerSpec.HttpsForward(lb.Arn, arn, group.Arn, none), default);
        Assert.Equal("DuplicateListener", await Code(() => _elb.CreateListenerAsync(ElbListenerSpec.HttpsForward(lb.Arn, arn, group.Arn, none), default)));
        Assert.Equal("ResourceInUse", await Code(() => _elb.DeleteTargetGroupAsync(group.Arn, default)));
        Assert.Equal("ResourceInUseException", await Code(() => _acm.DeleteCertificateAsync(arn, default)));
        Assert.Equal([group.Arn], (await _elb.DescribeTargetGroupsAsync([], lb.Arn, default)).Select(g => g.Arn));

        // Deleting the load balancer deletes its listener, which frees the group and the certificate.
        await _elb.DeleteLoadBalancerAsync(lb.Arn, default);
        Assert.Empty(_elb.ListenerSummaries);
        await _elb.DeleteTargetGroupAsync(group.Arn, default);
        await _acm.DeleteCertificateAsync(arn, default);
        Assert.Equal(["CreateLoadBalancer", "CreateTargetGroup", "CreateLoadBalancer", "CreateLoadBalancer", "CreateTargetGroup", "CreateListener",
            "RegisterTargets", "RegisterTargets", "CreateListener", "CreateListener", "DeleteTargetGroup", "DeleteLoadBalancer", "DeleteTargetGroup"], _elb.CallNames);
    }

    /// <summary>ACM answering one status for every certificate: states the fake does not reach by itself.</summary>
    private sealed class FakeAcmStatus(FakeAcmCloud inner, string status) : IAcmApi
    {
        public Task<string> RequestCertificateAsync(AcmCertificateRequest request, CancellationToken ct) => inner.RequestCertificateAsync(request, ct);
        public async Task<AcmCertificate?> DescribeCertificateAsync(string certificateArn, CancellationToken ct) =>
            await inner.DescribeCertificateAsync(certificateArn, ct) is { } c ? c with { Status = status } : null;
        public Task<IReadOnlyList<AcmCertificateSummary>> ListCertificatesAsync(IReadOnlyList<string> statuses, CancellationToken ct) => inner.ListCertificatesAsync(statuses, ct);
        public Task DeleteCertificateAsync(string certificateArn, CancellationToken ct) => inner.DeleteCertificateAsync(certificateArn, ct);
    }
}
