using System.Net;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;
using static Futuswarm.Tests.AwsIamClientTests;

namespace Futuswarm.Tests;

/// <summary>ElbV2Client against the ELBv2 API Reference's sample responses (AwsSamples/elbv2).</summary>
public class AwsElbV2ClientTests
{
    private const string Ns = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private const string LbArn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/my-load-balancer/50dc6c495c0c9188";
    private const string TgArn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067";
    private const string CertArn = "arn:aws:acm:us-west-2:123456789012:certificate/68c11a12-39de-44dd-b329-fe64aEXAMPLE";
    private static readonly Dictionary<string, string> Tags = new() { ["futuswarm:cluster"] = "prod" };

    private static (ElbV2Client Client, FakeAws Fake) Client()
    {
        var fake = new FakeAws();
        return (new ElbV2Client(AwsTest.Transport(fake), "us-west-2"), fake);
    }

    private static string Empty(string action) =>
        $"<{action}Response xmlns=\"{Ns}\"><{action}Result/><ResponseMetadata><RequestId>6581c0ac-EXAMPLE</RequestId></ResponseMetadata></{action}Response>";

    private static string Error(string code, string message) =>
        $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>6581c0ac-EXAMPLE</RequestId></ErrorResponse>";

    [Fact]
    public async Task DescribeLoadBalancersByNameReadsTheDocumentedLoadBalancer()
    {
        var (elb, fake) = Client();
        fake.Ok(AwsTest.Sample("elbv2/DescribeLoadBalancers.xml"));

        var lb = Assert.Single(await elb.DescribeLoadBalancersAsync(["my-load-balancer"], CancellationToken.None));

        AssertForm(fake.Requests[0], ("Action", "DescribeLoadBalancers"), ("Version", "2015-12-01"), ("Names.member.1", "my-load-balancer"));
        Assert.Equal("https://elasticloadbalancing.us-west-2.amazonaws.com/", fake.Requests[0].Uri.ToString());
        AwsTest.AssertSignedAsReceived(fake.Requests[0], "us-west-2", "elasticloadbalancing");
        Assert.Equal(LbArn, lb.Arn);
        Assert.Equal("my-load-balancer", lb.Name);
        Assert.Equal("my-load-balancer-424835706.us-west-2.elb.amazonaws.com", lb.DnsName);
        Assert.Equal("internet-facing", lb.Scheme);
        Assert.Equal("application", lb.Type);
        Assert.Equal("vpc-3ac0fb5f", lb.VpcId);
        Assert.Equal("active", lb.State);
        Assert.Equal("Z2P70J7EXAMPLE", lb.CanonicalHostedZoneId);
        Assert.Equal(["subnet-8360a9e7", "subnet-b7d581c0"], lb.SubnetIds);
        Assert.Equal(["us-west-2a", "us-west-2b"], lb.AvailabilityZones);
        Assert.Equal(["sg-5943793c"], lb.SecurityGroupIds);
    }

    [Fact]
    public async Task DescribeLoadBalancersFollowsNextMarkerAcrossPages()
    {
        // No reference page shows a second page: page 1 is the DescribeLoadBalancers sample with a NextMarker added,
        // page 2 carries the CreateLoadBalancer sample's load balancer in a DescribeLoadBalancers answer.
        var (elb, fake) = Client();
        var first = AwsTest.Sample("elbv2/DescribeLoadBalancers.xml")
            .Replace("</LoadBalancers>", "</LoadBalancers>\n    <NextMarker>page-2-marker</NextMarker>");
        var created = AwsTest.Sample("elbv2/CreateLoadBalancer.xml");
        var member = created[created.IndexOf("<LoadBalancers>", StringComparison.Ordinal)..(created.IndexOf("</LoadBalancers>", StringComparison.Ordinal) + "</LoadBalancers>".Length)];
        fake.Ok(first).Ok($"<DescribeLoadBalancersResponse xmlns=\"{Ns}\"><DescribeLoadBalancersResult>{member}</DescribeLoadBalancersResult></DescribeLoadBalancersResponse>");

        var all = await elb.DescribeLoadBalancersAsync(["my-load-balancer", "my-internal-load-balancer"], CancellationToken.None);

        Assert.Equal(["my-load-balancer", "my-internal-load-balancer"], all.Select(l => l.Name));
        AssertForm(fake.Requests[0], ("Action", "DescribeLoadBalancers"), ("Version", "2015-12-01"),
            ("Names.member.1", "my-load-balancer"), ("Names.member.2", "my-internal-load-balancer"));
        AssertForm(fake.Requests[1], ("Action", "DescribeLoadBalancers"), ("Version", "2015-12-01"),
            ("Names.member.1", "my-load-balancer"), ("Names.member.2", "my-internal-load-balancer"), ("Marker", "page-2-marker"));
    }

    [Fact]
    public async Task AMissingLoadBalancerIsAnEmptyList()
    {
        var (elb, fake) = Client();
        fake.Answer(HttpStatusCode.BadRequest, Error("LoadBalancerNotFound", "One or more load balancers not found"));
        Assert.Empty(await elb.DescribeLoadBalancersAsync(["nope"], CancellationToken.None));
    }

    [Fact]
    public async Task CreateLoadBalancerSendsSubnetsGroupsSchemeAndTags()
    {
        var (elb, fake) = Client();
        fake.Ok(AwsTest.Sample("elbv2/CreateLoadBalancer.xml")).Ok(Empty("DeleteLoadBalancer"));

        var lb = await elb.CreateLoadBalancerAsync(
            new ElbLoadBalancerSpec("my-internal-load-balancer", ["subnet-8360a9e7", "subnet-b7d581c0"], ["sg-5943793c"], Tags, "internal"), CancellationToken.None);
        await elb.DeleteLoadBalancerAsync(lb.Arn, CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "CreateLoadBalancer"), ("Version", "2015-12-01"), ("Name", "my-internal-load-balancer"),
            ("Subnets.member.1", "subnet-8360a9e7"), ("Subnets.member.2", "subnet-b7d581c0"), ("SecurityGroups.member.1", "sg-5943793c"),
            ("Scheme", "internal"), ("Type", "application"), ("Tags.member.1.Key", "futuswarm:cluster"), ("Tags.member.1.Value", "prod"));
        Assert.Equal("provisioning", lb.State);
        Assert.Equal("internal-my-internal-load-balancer-1529930873.us-west-2.elb.amazonaws.com", lb.DnsName);
        AssertForm(fake.Requests[1], ("Action", "DeleteLoadBalancer"), ("Version", "2015-12-01"),
            ("LoadBalancerArn", "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/my-internal-load-balancer/5b49b8d4303115c2"));
    }

    [Fact]
    public async Task TargetGroupsAreDescribedByNameOrLoadBalancerAndCreatedWithTheirHealthCheck()
    {
        var (elb, fake) = Client();
        fake.Ok(AwsTest.Sample("elbv2/DescribeTargetGroups.xml")).Ok(AwsTest.Sample("elbv2/DescribeTargetGroups.xml"))
            .Ok(AwsTest.Sample("elbv2/CreateTargetGroup.xml")).Ok(Empty("DeleteTargetGroup"))
            .Answer(HttpStatusCode.BadRequest, Error("TargetGroupNotFound", "One or more target groups not found"));

        var byName = Assert.Single(await elb.DescribeTargetGroupsAsync(["my-targets"], null, CancellationToken.None));
        await elb.DescribeTargetGroupsAsync([], LbArn, CancellationToken.None);
        var created = await elb.CreateTargetGroupAsync(
            new ElbTargetGroupSpec("my-targets", "HTTP", 80, "vpc-3ac0fb5f", Tags, HealthCheckPath: "/", Matcher: "200"), CancellationToken.None);
        await elb.DeleteTargetGroupAsync(created.Arn, CancellationToken.None);
        var none = await elb.DescribeTargetGroupsAsync(["gone"], null, CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "DescribeTargetGroups"), ("Version", "2015-12-01"), ("Names.member.1", "my-targets"));
        AssertForm(fake.Requests[1], ("Action", "DescribeTargetGroups"), ("Version", "2015-12-01"), ("LoadBalancerArn", LbArn));
        AssertForm(fake.Requests[2], ("Action", "CreateTargetGroup"), ("Version", "2015-12-01"), ("Name", "my-targets"), ("Protocol", "HTTP"), ("Port", "80"),
            ("VpcId", "vpc-3ac0fb5f"), ("TargetType", "instance"), ("HealthCheckPath", "/"), ("Matcher.HttpCode", "200"),
            ("Tags.member.1.Key", "futuswarm:cluster"), ("Tags.member.1.Value", "prod"));
        AssertForm(fake.Requests[3], ("Action", "DeleteTargetGroup"), ("Version", "2015-12-01"), ("TargetGroupArn", TgArn));
        Assert.Equal(TgArn, byName.Arn);
        Assert.Equal(("HTTP", 80, "vpc-3ac0fb5f"), (byName.Protocol, byName.Port, byName.VpcId));
        Assert.Equal(("HTTP", "/", "traffic-port", "200"), (byName.HealthCheckProtocol, byName.HealthCheckPath, byName.HealthCheckPort, byName.Matcher));
        Assert.Equal([LbArn], byName.LoadBalancerArns);
        Assert.Empty(created.LoadBalancerArns);
        Assert.Empty(none);
    }

    [Fact]
    public async Task TargetsAreRegisteredWithIdAndPortAndTheirHealthRead()
    {
        var (elb, fake) = Client();
        fake.Ok(Empty("RegisterTargets")).Ok(Empty("DeregisterTargets")).Ok(AwsTest.Sample("elbv2/DescribeTargetHealth.xml"));

        await elb.RegisterTargetsAsync(TgArn, [new ElbTarget("i-0f76fade", 80), new ElbTarget("i-0598c7d356eba48d7")], CancellationToken.None);
        await elb.DeregisterTargetsAsync(TgArn, [new ElbTarget("i-0f76fade")], CancellationToken.None);
        await elb.RegisterTargetsAsync(TgArn, [], CancellationToken.None);
        var health = await elb.DescribeTargetHealthAsync(TgArn, CancellationToken.None);

        Assert.Equal(3, fake.Requests.Count);
        AssertForm(fake.Requests[0], ("Action", "RegisterTargets"), ("Version", "2015-12-01"), ("TargetGroupArn", TgArn),
            ("Targets.member.1.Id", "i-0f76fade"), ("Targets.member.1.Port", "80"), ("Targets.member.2.Id", "i-0598c7d356eba48d7"));
        AssertForm(fake.Requests[1], ("Action", "DeregisterTargets"), ("Version", "2015-12-01"), ("TargetGroupArn", TgArn), ("Targets.member.1.Id", "i-0f76fade"));
        AssertForm(fake.Requests[2], ("Action", "DescribeTargetHealth"), ("Version", "2015-12-01"), ("TargetGroupArn", TgArn));
        Assert.Equal(2, health.Count);
        Assert.All(health, h => Assert.Equal((new ElbTarget("i-0f76fade", 80), "healthy"), (h.Target, h.State)));
    }

    [Fact]
    public async Task DescribeListenersReadsTheHttpsListenerWithItsCertificateAndTheHttpOne()
    {
        var (elb, fake) = Client();
        fake.Ok(AwsTest.Sample("elbv2/DescribeListeners.xml"));

        var listeners = await elb.DescribeListenersAsync(LbArn, CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "DescribeListeners"), ("Version", "2015-12-01"), ("LoadBalancerArn", LbArn));
        Assert.Equal(2, listeners.Count);
        var https = listeners[0];
        Assert.Equal(("HTTPS", 443, "ELBSecurityPolicy-2016-08"), (https.Protocol, https.Port, https.SslPolicy));
        Assert.Equal(["arn:aws:iam::123456789012:server-certificate/my-server-cert"], https.CertificateArns);
        Assert.Equal(ElbAction.Forward(TgArn), Assert.Single(https.DefaultActions));
        Assert.Equal(("HTTP", 80), (listeners[1].Protocol, listeners[1].Port));
        Assert.Empty(listeners[1].CertificateArns);
        Assert.Equal(LbArn, listeners[1].LoadBalancerArn);
    }

    [Fact]
    public async Task TheHttpsListenerForwardsWithTheCertificateAndASafePolicy()
    {
        var (elb, fake) = Client();
        fake.Ok(AwsTest.Sample("elbv2/CreateListener.xml"));

        var listener = await elb.CreateListenerAsync(ElbListenerSpec.HttpsForward(LbArn, CertArn, TgArn, Tags), CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "CreateListener"), ("Version", "2015-12-01"), ("LoadBalancerArn", LbArn), ("Protocol", "HTTPS"), ("Port", "443"),
            ("SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06"), ("Certificates.member.1.CertificateArn", CertArn),
            ("DefaultActions.member.1.Type", "forward"), ("DefaultActions.member.1.TargetGroupArn", TgArn),
            ("Tags.member.1.Key", "futuswarm:cluster"), ("Tags.member.1.Value", "prod"));
        Assert.Equal("arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/my-load-balancer/50dc6c495c0c9188/f2f7dc8efc522ab2", listener.Arn);
        Assert.Equal(("HTTPS", 443), (listener.Protocol, listener.Port));
        Assert.Equal(ElbAction.Forward(TgArn), Assert.Single(listener.DefaultActions));
    }

    [Fact]
    public async Task TheHttpListenerRedirectsToHttpsPermanently()
    {
        // The reference has no redirect sample; this answer follows the Listener/Action/RedirectConfig shape it documents.
        var (elb, fake) = Client();
        const string listenerArn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/my-load-balancer/50dc6c495c0c9188/0467ef3c8400ae65";
        fake.Ok($"""
            <CreateListenerResponse xmlns="{Ns}"><CreateListenerResult><Listeners><member>
              <LoadBalancerArn>{LbArn}</LoadBalancerArn><Protocol>HTTP</Protocol><Port>80</Port><ListenerArn>{listenerArn}</ListenerArn>
              <DefaultActions><member><Type>redirect</Type><RedirectConfig><Protocol>HTTPS</Protocol><Port>443</Port><StatusCode>HTTP_301</StatusCode></RedirectConfig></member></DefaultActions>
            </member></Listeners></CreateListenerResult></CreateListenerResponse>
            """).Ok(Empty("DeleteListener"));

        var listener = await elb.CreateListenerAsync(ElbListenerSpec.HttpRedirectToHttps(LbArn, Tags), CancellationToken.None);
        await elb.DeleteListenerAsync(listener.Arn, CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "CreateListener"), ("Version", "2015-12-01"), ("LoadBalancerArn", LbArn), ("Protocol", "HTTP"), ("Port", "80"),
            ("DefaultActions.member.1.Type", "redirect"), ("DefaultActions.member.1.RedirectConfig.Protocol", "HTTPS"),
            ("DefaultActions.member.1.RedirectConfig.Port", "443"), ("DefaultActions.member.1.RedirectConfig.StatusCode", "HTTP_301"),
            ("Tags.member.1.Key", "futuswarm:cluster"), ("Tags.member.1.Value", "prod"));
        Assert.Equal(ElbAction.RedirectToHttps().Redirect, Assert.Single(listener.DefaultActions).Redirect);
        AssertForm(fake.Requests[1], ("Action", "DeleteListener"), ("Version", "2015-12-01"), ("ListenerArn", listenerArn));
    }

    [Fact]
    public async Task AnHttpsListenerWithoutACertificateIsRefusedBeforeAnyCall()
    {
        var (elb, fake) = Client();
        var e = await Assert.ThrowsAsync<FswException>(() =>
            elb.CreateListenerAsync(new ElbListenerSpec(LbArn, "HTTPS", 443, ElbAction.Forward(TgArn), Tags), CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsRequestInvalid, e.Code);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task TagsAreAddedAndDescribedPerResourceTwentyArnsACall()
    {
        var (elb, fake) = Client();
        fake.Ok(Empty("AddTags")).Ok(AwsTest.Sample("elbv2/DescribeTags.xml")).Ok(Empty("DescribeTags"));

        await elb.AddTagsAsync([LbArn, TgArn], Tags, CancellationToken.None);
        var arns = new[] { LbArn }.Concat(Enumerable.Range(1, 24).Select(i => $"{TgArn}{i}")).ToList();
        var tags = await elb.DescribeTagsAsync(arns, CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "AddTags"), ("Version", "2015-12-01"), ("ResourceArns.member.1", LbArn), ("ResourceArns.member.2", TgArn),
            ("Tags.member.1.Key", "futuswarm:cluster"), ("Tags.member.1.Value", "prod"));
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(20, fake.Requests[1].Form.Count(f => f.Key.StartsWith("ResourceArns.member.", StringComparison.Ordinal)));
        Assert.Equal(5, fake.Requests[2].Form.Count(f => f.Key.StartsWith("ResourceArns.member.", StringComparison.Ordinal)));
        Assert.Equal(LbArn, fake.Requests[1].Field("ResourceArns.member.1"));
        Assert.Equal(new Dictionary<string, string> { ["project"] = "lima", ["department"] = "digital-media" }, tags[LbArn]);
    }
    [Fact]
    public async Task SetSubnetsSendsTheSampleRequestAndReadsTheSubnetsInUse()
    {
        var (elb, fake) = Client();
        fake.Ok(AwsTest.Sample("elbv2/SetSubnets.xml"));

        var subnets = await elb.SetSubnetsAsync(LbArn, ["subnet-8360a9e7", "subnet-b7d581c0"], CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "SetSubnets"), ("Version", "2015-12-01"), ("LoadBalancerArn", LbArn),
            ("Subnets.member.1", "subnet-8360a9e7"), ("Subnets.member.2", "subnet-b7d581c0"));
        AwsTest.AssertSignedAsReceived(fake.Requests[0], "us-west-2", "elasticloadbalancing");
        Assert.Equal(["subnet-8360a9e7", "subnet-b7d581c0"], subnets);
    }

    [Fact]
    public async Task SetSecurityGroupsSendsTheSampleRequestAndReadsTheGroupsInUse()
    {
        var (elb, fake) = Client();
        fake.Ok(AwsTest.Sample("elbv2/SetSecurityGroups.xml"))
            .Answer(HttpStatusCode.BadRequest, Error("InvalidSecurityGroup", "The specified security group does not exist."));

        var groups = await elb.SetSecurityGroupsAsync(LbArn, ["sg-5943793c"], CancellationToken.None);
        var e = await Assert.ThrowsAsync<AwsApiException>(() => elb.SetSecurityGroupsAsync(LbArn, ["sg-gone"], CancellationToken.None));

        AssertForm(fake.Requests[0], ("Action", "SetSecurityGroups"), ("Version", "2015-12-01"), ("LoadBalancerArn", LbArn),
            ("SecurityGroups.member.1", "sg-5943793c"));
        Assert.Equal(["sg-5943793c"], groups);
        Assert.Equal(("InvalidSecurityGroup", ErrorCodes.AwsApiRefused), (e.AwsCode, e.Code));
    }

    [Fact]
    public async Task ModifyTargetGroupSendsOnlyTheGivenHealthCheckFieldsAndReadsTheGroup()
    {
        var (elb, fake) = Client();
        const string httpsTargets = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-https-targets/2453ed029918f21f";
        fake.Ok(AwsTest.Sample("elbv2/ModifyTargetGroup.xml")).Ok(AwsTest.Sample("elbv2/ModifyTargetGroup.xml"));

        var group = await elb.ModifyTargetGroupAsync(httpsTargets, new ElbHealthCheck(Protocol: "HTTPS", Port: "443"), CancellationToken.None);
        await elb.ModifyTargetGroupAsync(httpsTargets, new ElbHealthCheck("HTTP", "/", "traffic-port", "200-499"), CancellationToken.None);

        // The reference's sample request, field for field.
        AssertForm(fake.Requests[0], ("Action", "ModifyTargetGroup"), ("Version", "2015-12-01"), ("TargetGroupArn", httpsTargets),
            ("HealthCheckProtocol", "HTTPS"), ("HealthCheckPort", "443"));
        AssertForm(fake.Requests[1], ("Action", "ModifyTargetGroup"), ("Version", "2015-12-01"), ("TargetGroupArn", httpsTargets),
            ("HealthCheckProtocol", "HTTP"), ("HealthCheckPort", "traffic-port"), ("HealthCheckPath", "/"), ("Matcher.HttpCode", "200-499"));
        Assert.Equal(httpsTargets, group.Arn);
        Assert.Equal(("HTTPS", "443", "200", null), (group.HealthCheckProtocol, group.HealthCheckPort, group.Matcher, group.HealthCheckPath));
        Assert.Equal([LbArn], group.LoadBalancerArns);
    }

    [Fact]
    public async Task ModifyListenerChangesTheDefaultActionAsTheSampleDoes()
    {
        var (elb, fake) = Client();
        const string listenerArn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/my-load-balancer/50dc6c495c0c9188/f2f7dc8efc522ab2";
        const string newTargets = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-new-targets/2453ed029918f21f";
        fake.Ok(AwsTest.Sample("elbv2/ModifyListener.xml")).Ok(AwsTest.Sample("elbv2/ModifyListener.xml"));

        var listener = await elb.ModifyListenerAsync(new ElbListenerChange(listenerArn, DefaultAction: ElbAction.Forward(newTargets)), CancellationToken.None);
        await elb.ModifyListenerAsync(new ElbListenerChange(listenerArn, "HTTP", 80, ElbAction.RedirectToHttps()), CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "ModifyListener"), ("Version", "2015-12-01"), ("ListenerArn", listenerArn),
            ("DefaultActions.member.1.Type", "forward"), ("DefaultActions.member.1.TargetGroupArn", newTargets));
        AssertForm(fake.Requests[1], ("Action", "ModifyListener"), ("Version", "2015-12-01"), ("ListenerArn", listenerArn), ("Protocol", "HTTP"), ("Port", "80"),
            ("DefaultActions.member.1.Type", "redirect"), ("DefaultActions.member.1.RedirectConfig.Protocol", "HTTPS"),
            ("DefaultActions.member.1.RedirectConfig.Port", "443"), ("DefaultActions.member.1.RedirectConfig.StatusCode", "HTTP_301"));
        Assert.Equal((listenerArn, LbArn, "HTTP", 80), (listener.Arn, listener.LoadBalancerArn, listener.Protocol, listener.Port));
        Assert.Equal(ElbAction.Forward(newTargets), Assert.Single(listener.DefaultActions));
        Assert.Empty(listener.CertificateArns);
    }

    [Fact]
    public async Task ModifyListenerChangesTheCertificateOrThePolicyAlone()
    {
        var (elb, fake) = Client();
        const string listenerArn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/my-load-balancer/50dc6c495c0c9188/0467ef3c8400ae65";
        const string newCert = "arn:aws:iam::123456789012:server-certificate/my-new-server-cert";
        fake.Ok(AwsTest.Sample("elbv2/ModifyListener-certificate.xml")).Ok(AwsTest.Sample("elbv2/ModifyListener-certificate.xml"));

        var listener = await elb.ModifyListenerAsync(new ElbListenerChange(listenerArn, CertificateArn: newCert), CancellationToken.None);
        await elb.ModifyListenerAsync(new ElbListenerChange(listenerArn, SslPolicy: "ELBSecurityPolicy-2016-08"), CancellationToken.None);

        // Examples 2 and 3 of the reference, field for field.
        AssertForm(fake.Requests[0], ("Action", "ModifyListener"), ("Version", "2015-12-01"), ("ListenerArn", listenerArn),
            ("Certificates.member.1.CertificateArn", newCert));
        AssertForm(fake.Requests[1], ("Action", "ModifyListener"), ("Version", "2015-12-01"), ("ListenerArn", listenerArn),
            ("SslPolicy", "ELBSecurityPolicy-2016-08"));
        Assert.Equal([newCert], listener.CertificateArns);
        Assert.Equal(("HTTPS", 443, "ELBSecurityPolicy-2016-08"), (listener.Protocol, listener.Port, listener.SslPolicy));
        Assert.Equal(ElbAction.Forward(TgArn), Assert.Single(listener.DefaultActions));
    }

    [Fact]
    public async Task ModifyListenerToHttpsWithoutACertificateIsRefusedBeforeAnyCall()
    {
        var (elb, fake) = Client();
        var e = await Assert.ThrowsAsync<FswException>(() =>
            elb.ModifyListenerAsync(new ElbListenerChange("arn:listener", "HTTPS", 443, ElbAction.Forward(TgArn)), CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsRequestInvalid, e.Code);
        Assert.Empty(fake.Requests);
    }
}
