using Futuswarm.Cluster.Provisioning.Aws;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>Target groups and their registered targets.</summary>
public sealed partial class FakeElbV2Cloud
{
    private sealed class Tg(string arn, ElbTargetGroupSpec spec)
    {
        public string Arn { get; } = arn;
        public ElbTargetGroupSpec Spec { get; } = spec;
        public ElbHealthCheck Health { get; set; } = new("HTTP", spec.HealthCheckPath ?? "/", spec.HealthCheckPort ?? "traffic-port", spec.Matcher ?? "200");
        public List<ElbTarget> Targets { get; } = [];
    }

    private readonly List<Tg> _tgs = [];

    public IReadOnlyList<string> TargetGroupNames => _tgs.Select(t => t.Spec.Name).ToList();

    /// <summary>The targets of the only target group, as "id:port".</summary>
    public IReadOnlyList<string> RegisteredTargets => _tgs.Single().Targets.Select(t => $"{t.Id}:{t.Port}").Order(StringComparer.Ordinal).ToList();

    public Task<IReadOnlyList<ElbTargetGroup>> DescribeTargetGroupsAsync(IReadOnlyList<string> names, string? loadBalancerArn, CancellationToken ct)
    {
        Reading();
        if (loadBalancerArn is not null && _lbs.All(l => l.Arn != loadBalancerArn)) return Task.FromResult<IReadOnlyList<ElbTargetGroup>>([]);
        var found = _tgs.Where(t => (names.Count == 0 || names.Contains(t.Spec.Name))
            && (loadBalancerArn is null || LoadBalancersOf(t).Contains(loadBalancerArn))).ToList();
        if (names.Any(n => found.All(t => t.Spec.Name != n))) return Task.FromResult<IReadOnlyList<ElbTargetGroup>>([]);
        return Task.FromResult<IReadOnlyList<ElbTargetGroup>>(found.Select(View).ToList());
    }

    public Task<ElbTargetGroup> CreateTargetGroupAsync(ElbTargetGroupSpec spec, CancellationToken ct)
    {
        Mutating("CreateTargetGroup", spec.Name);
        if (_tgs.Any(t => t.Spec.Name == spec.Name))
            throw Refused("CreateTargetGroup", "DuplicateTargetGroupName", "A target group with the same name exists");
        var tg = new Tg($"arn:aws:elasticloadbalancing:{region}:{accountId}:targetgroup/{spec.Name}/{NewHex()}", spec);
        _tgs.Add(tg);
        _tags[tg.Arn] = new(spec.Tags, StringComparer.Ordinal);
        return Task.FromResult(View(tg));
    }

    public Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken ct)
    {
        Mutating("DeleteTargetGroup", targetGroupArn);
        if (_tgs.FirstOrDefault(t => t.Arn == targetGroupArn) is not { } tg) return Task.CompletedTask;
        if (_listeners.FirstOrDefault(l => l.Action.TargetGroupArn == tg.Arn) is { } user)
            throw Refused("DeleteTargetGroup", "ResourceInUse", $"Target group '{tg.Arn}' is currently in use by a listener or a rule ({user.Arn})");
        _tgs.Remove(tg);
        _tags.Remove(tg.Arn);
        return Task.CompletedTask;
    }

    public Task<ElbTargetGroup> ModifyTargetGroupAsync(string targetGroupArn, ElbHealthCheck healthCheck, CancellationToken ct)
    {
        Mutating("ModifyTargetGroup", targetGroupArn);
        var tg = TgNamed("ModifyTargetGroup", targetGroupArn);
        tg.Health = new ElbHealthCheck(healthCheck.Protocol ?? tg.Health.Protocol, healthCheck.Path ?? tg.Health.Path,
            healthCheck.Port ?? tg.Health.Port, healthCheck.Matcher ?? tg.Health.Matcher);
        return Task.FromResult(View(tg));
    }

    public Task RegisterTargetsAsync(string targetGroupArn, IReadOnlyList<ElbTarget> targets, CancellationToken ct)
    {
        Mutating("RegisterTargets", string.Join(",", targets.Select(t => t.Id)));
        var tg = TgNamed("RegisterTargets", targetGroupArn);
        if (targets.FirstOrDefault(t => !t.Id.StartsWith("i-", StringComparison.Ordinal)) is { } bad)
            throw Refused("RegisterTargets", "InvalidTarget", $"The following targets are not valid instances: '{bad.Id}'");
        foreach (var t in targets.Select(t => t with { Port = t.Port ?? tg.Spec.Port }))
            if (!tg.Targets.Contains(t)) tg.Targets.Add(t);
        return Task.CompletedTask;
    }

    /// <summary>Deregistered at once (ELBv2 drains first; a draining target is no longer the kind's either way).</summary>
    public Task DeregisterTargetsAsync(string targetGroupArn, IReadOnlyList<ElbTarget> targets, CancellationToken ct)
    {
        Mutating("DeregisterTargets", string.Join(",", targets.Select(t => t.Id)));
        var tg = TgNamed("DeregisterTargets", targetGroupArn);
        foreach (var t in targets) tg.Targets.RemoveAll(r => r.Id == t.Id && (t.Port is null || r.Port == t.Port));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ElbTargetHealth>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken ct)
    {
        Reading();
        var tg = TgNamed("DescribeTargetHealth", targetGroupArn);
        return Task.FromResult<IReadOnlyList<ElbTargetHealth>>(tg.Targets.Select(t => new ElbTargetHealth(t, "healthy", null, null)).ToList());
    }

    private IEnumerable<string> LoadBalancersOf(Tg tg) =>
        _listeners.Where(l => l.Action.TargetGroupArn == tg.Arn).Select(l => l.LoadBalancerArn).Distinct();

    private ElbTargetGroup View(Tg tg) => new(tg.Arn, tg.Spec.Name, tg.Spec.Protocol, tg.Spec.Port, tg.Spec.VpcId, tg.Spec.TargetType,
        tg.Health.Protocol, tg.Health.Path, tg.Health.Port, tg.Health.Matcher, LoadBalancersOf(tg).ToList());

    private Tg TgNamed(string call, string arn) => _tgs.FirstOrDefault(t => t.Arn == arn)
        ?? throw Refused(call, "TargetGroupNotFound", $"Target groups '{arn}' not found");
}
