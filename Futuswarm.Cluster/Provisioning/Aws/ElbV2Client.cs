using System.Xml.Linq;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>IElbV2Api over the Elastic Load Balancing Query API (2015-12-01) of one region.</summary>
public sealed class ElbV2Client(AwsHttpTransport transport, AwsEndpoint endpoint) : IElbV2Api
{
    public const string Version = "2015-12-01";
    private readonly AwsQueryClient _query = new(transport, endpoint);

    public ElbV2Client(AwsHttpTransport transport, string region) : this(transport, AwsEndpoint.ElbV2(region)) { }

    public async Task<IReadOnlyList<ElbLoadBalancer>> DescribeLoadBalancersAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        try
        {
            return await _query.CallPagesAsync(() => Form("DescribeLoadBalancers").AddList("Names.member", names), "NextMarker",
                r => r.Items("LoadBalancers").Select(ReadLoadBalancer), ct);
        }
        catch (AwsApiException e) when (e.AwsCode == "LoadBalancerNotFound")
        {
            return [];
        }
    }

    public Task<ElbLoadBalancer> CreateLoadBalancerAsync(ElbLoadBalancerSpec spec, CancellationToken ct) =>
        _query.CallAsync(Form("CreateLoadBalancer")
                .Add("Name", spec.Name)
                .AddList("Subnets.member", spec.SubnetIds)
                .AddList("SecurityGroups.member", spec.SecurityGroupIds)
                .Add("Scheme", spec.Scheme)
                .Add("Type", spec.Type)
                .AddTags("Tags.member", spec.Tags),
            r => ReadLoadBalancer(One(r, "LoadBalancers")), ct);

    public Task DeleteLoadBalancerAsync(string loadBalancerArn, CancellationToken ct) =>
        _query.CallAsync(Form("DeleteLoadBalancer").Add("LoadBalancerArn", loadBalancerArn), ct);

    public Task<IReadOnlyList<string>> SetSubnetsAsync(string loadBalancerArn, IReadOnlyList<string> subnetIds, CancellationToken ct) =>
        _query.CallAsync<IReadOnlyList<string>>(Form("SetSubnets").Add("LoadBalancerArn", loadBalancerArn).AddList("Subnets.member", subnetIds),
            r => r.Items("AvailabilityZones").Select(z => z.Text("SubnetId") ?? "").Where(s => s.Length > 0).ToList(), ct);

    public Task<IReadOnlyList<string>> SetSecurityGroupsAsync(string loadBalancerArn, IReadOnlyList<string> securityGroupIds, CancellationToken ct) =>
        _query.CallAsync<IReadOnlyList<string>>(
            Form("SetSecurityGroups").Add("LoadBalancerArn", loadBalancerArn).AddList("SecurityGroups.member", securityGroupIds),
            r => r.Values("SecurityGroupIds"), ct);

    public async Task<IReadOnlyList<ElbTargetGroup>> DescribeTargetGroupsAsync(IReadOnlyList<string> names, string? loadBalancerArn, CancellationToken ct)
    {
        try
        {
            return await _query.CallPagesAsync(
                () => Form("DescribeTargetGroups").AddList("Names.member", names).Add("LoadBalancerArn", loadBalancerArn), "NextMarker",
                r => r.Items("TargetGroups").Select(ReadTargetGroup), ct);
        }
        catch (AwsApiException e) when (e.AwsCode is "TargetGroupNotFound" or "LoadBalancerNotFound")
        {
            return [];
        }
    }

    public Task<ElbTargetGroup> CreateTargetGroupAsync(ElbTargetGroupSpec spec, CancellationToken ct) =>
        _query.CallAsync(Form("CreateTargetGroup")
                .Add("Name", spec.Name)
                .Add("Protocol", spec.Protocol)
                .Add("Port", spec.Port)
                .Add("VpcId", spec.VpcId)
                .Add("TargetType", spec.TargetType)
                .Add("HealthCheckPath", spec.HealthCheckPath)
                .Add("HealthCheckPort", spec.HealthCheckPort)
                .Add("Matcher.HttpCode", spec.Matcher)
                .AddTags("Tags.member", spec.Tags),
            r => ReadTargetGroup(One(r, "TargetGroups")), ct);

    public Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken ct) =>
        _query.CallAsync(Form("DeleteTargetGroup").Add("TargetGroupArn", targetGroupArn), ct);

    public Task<ElbTargetGroup> ModifyTargetGroupAsync(string targetGroupArn, ElbHealthCheck healthCheck, CancellationToken ct) =>
        _query.CallAsync(Form("ModifyTargetGroup")
                .Add("TargetGroupArn", targetGroupArn)
                .Add("HealthCheckProtocol", healthCheck.Protocol)
                .Add("HealthCheckPort", healthCheck.Port)
                .Add("HealthCheckPath", healthCheck.Path)
                .Add("Matcher.HttpCode", healthCheck.Matcher),
            r => ReadTargetGroup(One(r, "TargetGroups")), ct);

    public Task RegisterTargetsAsync(string targetGroupArn, IReadOnlyList<ElbTarget> targets, CancellationToken ct) =>
        targets.Count == 0 ? Task.CompletedTask : _query.CallAsync(Targets(Form("RegisterTargets"), targetGroupArn, targets), ct);

    public Task DeregisterTargetsAsync(string targetGroupArn, IReadOnlyList<ElbTarget> targets, CancellationToken ct) =>
        targets.Count == 0 ? Task.CompletedTask : _query.CallAsync(Targets(Form("DeregisterTargets"), targetGroupArn, targets), ct);

    public Task<IReadOnlyList<ElbTargetHealth>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken ct) =>
        _query.CallAsync<IReadOnlyList<ElbTargetHealth>>(Form("DescribeTargetHealth").Add("TargetGroupArn", targetGroupArn),
            r => r.Items("TargetHealthDescriptions").Select(d =>
            {
                var target = d.Child("Target") ?? throw new FormatException("<member> has no <Target>");
                var health = d.Child("TargetHealth");
                return new ElbTargetHealth(new ElbTarget(target.Required("Id"), target.Int("Port")),
                    health?.Text("State") ?? "unknown", health?.Text("Reason"), health?.Text("Description"));
            }).ToList(), ct);

    public async Task<IReadOnlyList<ElbListener>> DescribeListenersAsync(string loadBalancerArn, CancellationToken ct)
    {
        try
        {
            return await _query.CallPagesAsync(() => Form("DescribeListeners").Add("LoadBalancerArn", loadBalancerArn), "NextMarker",
                r => r.Items("Listeners").Select(ReadListener), ct);
        }
        catch (AwsApiException e) when (e.AwsCode == "LoadBalancerNotFound")
        {
            return [];
        }
    }

    public Task<ElbListener> CreateListenerAsync(ElbListenerSpec spec, CancellationToken ct)
    {
        if (spec.Protocol is "HTTPS" or "TLS" && string.IsNullOrEmpty(spec.CertificateArn))
            throw new FswException(ErrorCodes.AwsRequestInvalid,
                $"ELBv2 CreateListener: a {spec.Protocol} listener on port {spec.Port} needs a certificate ARN (the cluster's ACM certificate).");
        var form = Form("CreateListener")
            .Add("LoadBalancerArn", spec.LoadBalancerArn)
            .Add("Protocol", spec.Protocol)
            .Add("Port", spec.Port)
            .Add("SslPolicy", spec.SslPolicy)
            .Add("Certificates.member.1.CertificateArn", spec.CertificateArn);
        AddAction(form, spec.DefaultAction).AddTags("Tags.member", spec.Tags);
        return _query.CallAsync(form, r => ReadListener(One(r, "Listeners")), ct);
    }

    public Task<ElbListener> ModifyListenerAsync(ElbListenerChange change, CancellationToken ct)
    {
        if (change.Protocol is "HTTPS" or "TLS" && string.IsNullOrEmpty(change.CertificateArn))
            throw new FswException(ErrorCodes.AwsRequestInvalid,
                $"ELBv2 ModifyListener: changing listener {change.ListenerArn} to {change.Protocol} needs a certificate ARN (the cluster's ACM certificate).");
        var form = Form("ModifyListener")
            .Add("ListenerArn", change.ListenerArn)
            .Add("Protocol", change.Protocol)
            .Add("Port", change.Port)
            .Add("SslPolicy", change.SslPolicy)
            .Add("Certificates.member.1.CertificateArn", change.CertificateArn);
        if (change.DefaultAction is { } action) AddAction(form, action);
        return _query.CallAsync(form, r => ReadListener(One(r, "Listeners")), ct);
    }

    /// <summary>The one default action, as CreateListener and ModifyListener both take it.</summary>
    private static AwsQueryForm AddAction(AwsQueryForm form, ElbAction action)
    {
        const string member = "DefaultActions.member.1";
        form.Add($"{member}.Type", action.Type).Add($"{member}.TargetGroupArn", action.TargetGroupArn);
        if (action.Redirect is { } redirect)
            form.Add($"{member}.RedirectConfig.Protocol", redirect.Protocol)
                .Add($"{member}.RedirectConfig.Port", redirect.Port)
                .Add($"{member}.RedirectConfig.StatusCode", redirect.StatusCode);
        return form;
    }

    public Task DeleteListenerAsync(string listenerArn, CancellationToken ct) =>
        _query.CallAsync(Form("DeleteListener").Add("ListenerArn", listenerArn), ct);

    public Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        _query.CallAsync(Form("AddTags").AddList("ResourceArns.member", resourceArns).AddTags("Tags.member", tags), ct);

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> DescribeTagsAsync(IReadOnlyList<string> resourceArns, CancellationToken ct)
    {
        var all = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var chunk in resourceArns.Chunk(20))
        {
            var page = await _query.CallAsync(Form("DescribeTags").AddList("ResourceArns.member", chunk),
                r => r.Items("TagDescriptions").Select(d => (Arn: d.Required("ResourceArn"), Tags: d.Tags())).ToList(), ct);
            foreach (var (arn, tags) in page) all[arn] = tags;
        }
        return all;
    }

    private static ElbLoadBalancer ReadLoadBalancer(XElement lb)
    {
        var zones = lb.Items("AvailabilityZones");
        return new ElbLoadBalancer(
            lb.Required("LoadBalancerArn"),
            lb.Required("LoadBalancerName"),
            lb.Required("DNSName"),
            lb.Text("Scheme") ?? "",
            lb.Text("Type") ?? "",
            lb.Text("VpcId") ?? "",
            lb.Child("State")?.Text("Code") ?? "",
            lb.Text("CanonicalHostedZoneId"),
            zones.Select(z => z.Text("SubnetId") ?? "").Where(s => s.Length > 0).ToList(),
            zones.Select(z => z.Text("ZoneName") ?? "").Where(s => s.Length > 0).ToList(),
            lb.Values("SecurityGroups"));
    }

    private static ElbTargetGroup ReadTargetGroup(XElement tg) => new(
        tg.Required("TargetGroupArn"),
        tg.Required("TargetGroupName"),
        tg.Text("Protocol") ?? "",
        tg.Int("Port") ?? 0,
        tg.Text("VpcId") ?? "",
        tg.Text("TargetType"),
        tg.Text("HealthCheckProtocol"),
        tg.Text("HealthCheckPath"),
        tg.Text("HealthCheckPort"),
        tg.Child("Matcher")?.Text("HttpCode"),
        tg.Values("LoadBalancerArns"));

    private static ElbListener ReadListener(XElement l) => new(
        l.Required("ListenerArn"),
        l.Required("LoadBalancerArn"),
        l.Text("Protocol") ?? "",
        l.Int("Port") ?? 0,
        l.Items("Certificates").Select(c => c.Required("CertificateArn")).ToList(),
        l.Text("SslPolicy"),
        l.Items("DefaultActions").Select(a =>
        {
            var redirect = a.Child("RedirectConfig");
            return new ElbAction(a.Required("Type"), a.Text("TargetGroupArn"),
                redirect is null ? null : new ElbRedirect(redirect.Text("Protocol"), redirect.Text("Port"), redirect.Text("StatusCode") ?? ""));
        }).ToList());

    private static AwsQueryForm Targets(AwsQueryForm form, string targetGroupArn, IReadOnlyList<ElbTarget> targets)
    {
        form.Add("TargetGroupArn", targetGroupArn);
        for (var i = 0; i < targets.Count; i++)
            form.Add($"Targets.member.{i + 1}.Id", targets[i].Id).Add($"Targets.member.{i + 1}.Port", targets[i].Port);
        return form;
    }

    /// <summary>The single item a Create answers with.</summary>
    private static XElement One(XElement result, string listName) =>
        result.Items(listName).FirstOrDefault() ?? throw new FormatException($"<{listName}> is empty");

    private static AwsQueryForm Form(string action) => new(action, Version);
}
