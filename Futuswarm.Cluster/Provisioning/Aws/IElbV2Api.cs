namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// Exactly the Elastic Load Balancing v2 calls the cluster's ALB needs (Query API 2015-12-01). ElbV2Client speaks to
/// AWS; a fake cloud implements the same. Describes answer an empty list when the named thing does not exist
/// (AWS's LoadBalancerNotFound, TargetGroupNotFound) and follow the pages themselves; other failures are
/// <see cref="AwsApiException"/>. Every create takes its tags, so nothing is created untagged.
/// </summary>
public interface IElbV2Api
{
    Task<IReadOnlyList<ElbLoadBalancer>> DescribeLoadBalancersAsync(IReadOnlyList<string> names, CancellationToken ct);
    Task<ElbLoadBalancer> CreateLoadBalancerAsync(ElbLoadBalancerSpec spec, CancellationToken ct);
    Task DeleteLoadBalancerAsync(string loadBalancerArn, CancellationToken ct);
    /// <summary>Replaces the load balancer's subnets (an ALB keeps at least two zones); answers the subnet ids in use.</summary>
    Task<IReadOnlyList<string>> SetSubnetsAsync(string loadBalancerArn, IReadOnlyList<string> subnetIds, CancellationToken ct);
    /// <summary>Replaces the load balancer's security groups; answers the group ids in use.</summary>
    Task<IReadOnlyList<string>> SetSecurityGroupsAsync(string loadBalancerArn, IReadOnlyList<string> securityGroupIds, CancellationToken ct);

    /// <summary>By names, or all of one load balancer's when <paramref name="loadBalancerArn"/> is given instead.</summary>
    Task<IReadOnlyList<ElbTargetGroup>> DescribeTargetGroupsAsync(IReadOnlyList<string> names, string? loadBalancerArn, CancellationToken ct);
    Task<ElbTargetGroup> CreateTargetGroupAsync(ElbTargetGroupSpec spec, CancellationToken ct);
    Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken ct);
    /// <summary>Changes the health check's given fields (null ones stay as they are).</summary>
    Task<ElbTargetGroup> ModifyTargetGroupAsync(string targetGroupArn, ElbHealthCheck healthCheck, CancellationToken ct);

    Task RegisterTargetsAsync(string targetGroupArn, IReadOnlyList<ElbTarget> targets, CancellationToken ct);
    Task DeregisterTargetsAsync(string targetGroupArn, IReadOnlyList<ElbTarget> targets, CancellationToken ct);
    Task<IReadOnlyList<ElbTargetHealth>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken ct);

    Task<IReadOnlyList<ElbListener>> DescribeListenersAsync(string loadBalancerArn, CancellationToken ct);
    Task<ElbListener> CreateListenerAsync(ElbListenerSpec spec, CancellationToken ct);
    Task DeleteListenerAsync(string listenerArn, CancellationToken ct);
    /// <summary>Replaces the listener's given properties (null ones stay as they are).</summary>
    Task<ElbListener> ModifyListenerAsync(ElbListenerChange change, CancellationToken ct);

    Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    /// <summary>Tags per resource ARN (at most 20 ARNs a call, as AWS allows).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> DescribeTagsAsync(IReadOnlyList<string> resourceArns, CancellationToken ct);
}

/// <param name="Scheme">"internet-facing" or "internal".</param>
public sealed record ElbLoadBalancerSpec(
    string Name,
    IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> SecurityGroupIds,
    IReadOnlyDictionary<string, string> Tags,
    string Scheme = "internet-facing",
    string Type = "application");

public sealed record ElbLoadBalancer(
    string Arn,
    string Name,
    string DnsName,
    string Scheme,
    string Type,
    string VpcId,
    string State,
    string? CanonicalHostedZoneId,
    IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> AvailabilityZones,
    IReadOnlyList<string> SecurityGroupIds);

/// <param name="HealthCheckPath">For an HTTP(S) target group, e.g. the edge proxy's health path.</param>
/// <param name="Matcher">HTTP codes counted healthy, e.g. "200" or "200-399".</param>
public sealed record ElbTargetGroupSpec(
    string Name,
    string Protocol,
    int Port,
    string VpcId,
    IReadOnlyDictionary<string, string> Tags,
    string TargetType = "instance",
    string? HealthCheckPath = null,
    string? HealthCheckPort = null,
    string? Matcher = null);

public sealed record ElbTargetGroup(
    string Arn,
    string Name,
    string Protocol,
    int Port,
    string VpcId,
    string? TargetType,
    string? HealthCheckProtocol,
    string? HealthCheckPath,
    string? HealthCheckPort,
    string? Matcher,
    IReadOnlyList<string> LoadBalancerArns);

/// <summary>A target group's health check; a null field is left as it is by ModifyTargetGroup.</summary>
/// <param name="Port">"traffic-port" (the targets' port) or a port number.</param>
/// <param name="Matcher">HTTP codes counted healthy, e.g. "200" or "200-499".</param>
public sealed record ElbHealthCheck(string? Protocol = null, string? Path = null, string? Port = null, string? Matcher = null);

/// <param name="Port">Null: the target group's port.</param>
public sealed record ElbTarget(string Id, int? Port = null);

/// <param name="State">initial, healthy, unhealthy, unused, draining, unavailable.</param>
public sealed record ElbTargetHealth(ElbTarget Target, string State, string? Reason, string? Description);

/// <summary>What a listener does by default: forward to a target group, or redirect (HTTP to HTTPS).</summary>
public sealed record ElbAction(string Type, string? TargetGroupArn = null, ElbRedirect? Redirect = null)
{
    public static ElbAction Forward(string targetGroupArn) => new("forward", targetGroupArn);

    public static ElbAction RedirectToHttps() => new("redirect", Redirect: new ElbRedirect("HTTPS", "443", "HTTP_301"));
}

/// <param name="StatusCode">HTTP_301 or HTTP_302.</param>
public sealed record ElbRedirect(string? Protocol, string? Port, string StatusCode);

public sealed record ElbListenerSpec(
    string LoadBalancerArn,
    string Protocol,
    int Port,
    ElbAction DefaultAction,
    IReadOnlyDictionary<string, string> Tags,
    string? CertificateArn = null,
    string? SslPolicy = null)
{
    /// <summary>Port 80 answers every request with a permanent redirect to HTTPS on 443.</summary>
    public static ElbListenerSpec HttpRedirectToHttps(string loadBalancerArn, IReadOnlyDictionary<string, string> tags) =>
        new(loadBalancerArn, "HTTP", 80, ElbAction.RedirectToHttps(), tags);

    /// <summary>Port 443 terminates TLS with the certificate and forwards to the target group.</summary>
    public static ElbListenerSpec HttpsForward(string loadBalancerArn, string certificateArn, string targetGroupArn, IReadOnlyDictionary<string, string> tags,
        string sslPolicy = DefaultSslPolicy) =>
        new(loadBalancerArn, "HTTPS", 443, ElbAction.Forward(targetGroupArn), tags, certificateArn, sslPolicy);

    /// <summary>TLS 1.3 and 1.2 only (an ELB predefined policy).</summary>
    public const string DefaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";
}

/// <summary>What ModifyListener replaces; a null property stays as it is (ELBv2 keeps what a request leaves out).</summary>
public sealed record ElbListenerChange(
    string ListenerArn,
    string? Protocol = null,
    int? Port = null,
    ElbAction? DefaultAction = null,
    string? CertificateArn = null,
    string? SslPolicy = null);

public sealed record ElbListener(
    string Arn,
    string LoadBalancerArn,
    string Protocol,
    int Port,
    IReadOnlyList<string> CertificateArns,
    string? SslPolicy,
    IReadOnlyList<ElbAction> DefaultActions);
