using System.Net;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// An in-memory Elastic Load Balancing v2 behind <see cref="IElbV2Api"/>, behaving as ELBv2 does where the provisioning
/// code could go wrong: ARNs, tags given at creation and read back by DescribeTags, names unique per region
/// (DuplicateLoadBalancerName, DuplicateTargetGroupName), one listener per port (DuplicateListener), a target group a
/// listener forwards to cannot be deleted (ResourceInUse), deleting a load balancer deletes its listeners, an HTTPS
/// listener needs a certificate the given <see cref="FakeAcmCloud"/> has issued (any ARN without one), and a new load balancer is <c>provisioning</c> for one read before it is
/// <c>active</c>. Refusals are the real client's <see cref="AwsApiException"/>. Counts every mutating call by name and
/// can refuse the Nth one.
/// </summary>
public sealed partial class FakeElbV2Cloud(FakeAcmCloud? acm = null, string region = "eu-north-1", string accountId = "123456789012")
    : FakeCloud("InternalFailure"), IElbV2Api
{
    private sealed class Lb(string arn, ElbLoadBalancerSpec spec)
    {
        public string Arn { get; } = arn;
        public ElbLoadBalancerSpec Spec { get; } = spec;
        public List<string> Subnets { get; set; } = [.. spec.SubnetIds];
        public List<string> Groups { get; set; } = [.. spec.SecurityGroupIds];
        public int ReadsUntilActive { get; set; } = 1;
    }

    private readonly List<Lb> _lbs = [];
    private readonly Dictionary<string, Dictionary<string, string>> _tags = new(StringComparer.Ordinal);
    private int _nextId;

    /// <summary>Every load balancer's, target group's and listener's ARN whose tags name <paramref name="cluster"/>.</summary>
    /// <summary>The ARNs of everything tagged for the cluster.</summary>
    public IReadOnlyList<string> TaggedArns(string cluster) =>
        _tags.Where(t => t.Value.GetValueOrDefault("futuswarm:cluster") == cluster).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> LoadBalancerNames => _lbs.Select(l => l.Spec.Name).ToList();

    public Task<IReadOnlyList<ElbLoadBalancer>> DescribeLoadBalancersAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        Reading();
        var found = _lbs.Where(l => names.Count == 0 || names.Contains(l.Spec.Name)).ToList();
        // ELBv2 refuses the whole call when one name is unknown; the client answers that as an empty list.
        if (names.Any(n => found.All(l => l.Spec.Name != n))) return Task.FromResult<IReadOnlyList<ElbLoadBalancer>>([]);
        return Task.FromResult<IReadOnlyList<ElbLoadBalancer>>(found.Select(View).ToList());
    }

    public Task<ElbLoadBalancer> CreateLoadBalancerAsync(ElbLoadBalancerSpec spec, CancellationToken ct)
    {
        Mutating("CreateLoadBalancer", spec.Name);
        if (_lbs.Any(l => l.Spec.Name == spec.Name))
            throw Refused("CreateLoadBalancer", "DuplicateLoadBalancerName", "A load balancer with the same name exists");
        if (spec.Type == "application" && spec.SubnetIds.Distinct().Count() < 2)
            throw Refused("CreateLoadBalancer", "ValidationError", "At least two subnets in two different Availability Zones must be specified");
        var lb = new Lb($"arn:aws:elasticloadbalancing:{region}:{accountId}:loadbalancer/app/{spec.Name}/{NewHex()}", spec);
        _lbs.Add(lb);
        _tags[lb.Arn] = new(spec.Tags, StringComparer.Ordinal);
        var created = View(lb);
        lb.ReadsUntilActive = 1; // the answer to the create is not a read: the first describe still sees it provisioning
        return Task.FromResult(created);
    }

    /// <summary>ELBv2 answers success for a load balancer already gone; its listeners go with it.</summary>
    /// <summary>Tags live by ARN and go with their resource, so the tag table is what is left.</summary>
    public override IReadOnlyList<string> Tagged(string cluster) =>
        _tags.Where(t => t.Value.GetValueOrDefault(Engine.ClusterTags.Cluster) == cluster)
            .Select(t => (t.Key.Contains(":listener/", StringComparison.Ordinal) ? "listener " : t.Key.Contains(":targetgroup/", StringComparison.Ordinal) ? "target-group " : "load-balancer ") + t.Key)
            .ToList();

    public Task DeleteLoadBalancerAsync(string loadBalancerArn, CancellationToken ct)
    {
        Mutating("DeleteLoadBalancer", loadBalancerArn);
        if (_lbs.FirstOrDefault(l => l.Arn == loadBalancerArn) is not { } lb) return Task.CompletedTask;
        foreach (var listener in _listeners.Where(l => l.LoadBalancerArn == lb.Arn).ToList()) RemoveListener(listener);
        _lbs.Remove(lb);
        _tags.Remove(lb.Arn);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> SetSubnetsAsync(string loadBalancerArn, IReadOnlyList<string> subnetIds, CancellationToken ct)
    {
        Mutating("SetSubnets", loadBalancerArn);
        var lb = LbNamed("SetSubnets", loadBalancerArn);
        if (subnetIds.Distinct().Count() < 2)
            throw Refused("SetSubnets", "ValidationError", "At least two subnets in two different Availability Zones must be specified");
        lb.Subnets = [.. subnetIds];
        return Task.FromResult<IReadOnlyList<string>>(lb.Subnets.ToList());
    }

    public Task<IReadOnlyList<string>> SetSecurityGroupsAsync(string loadBalancerArn, IReadOnlyList<string> securityGroupIds, CancellationToken ct)
    {
        Mutating("SetSecurityGroups", loadBalancerArn);
        var lb = LbNamed("SetSecurityGroups", loadBalancerArn);
        lb.Groups = [.. securityGroupIds];
        return Task.FromResult<IReadOnlyList<string>>(lb.Groups.ToList());
    }

    public Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("AddTags", string.Join(",", resourceArns));
        foreach (var arn in resourceArns) TagsOf("AddTags", arn);
        foreach (var arn in resourceArns)
            foreach (var (k, v) in tags) _tags[arn][k] = v;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> DescribeTagsAsync(IReadOnlyList<string> resourceArns, CancellationToken ct)
    {
        Reading();
        var all = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var arn in resourceArns)
            all[arn] = new SortedDictionary<string, string>(TagsOf("DescribeTags", arn), StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>(all);
    }

    private ElbLoadBalancer View(Lb lb)
    {
        var state = lb.ReadsUntilActive > 0 ? "provisioning" : "active";
        if (lb.ReadsUntilActive > 0) lb.ReadsUntilActive--;
        var name = lb.Spec.Name;
        return new ElbLoadBalancer(lb.Arn, name, $"{name}-{lb.Arn.GetHashCode() & 0x7fffffff}.{region}.elb.amazonaws.com", lb.Spec.Scheme,
            lb.Spec.Type, "", state, "Z23TAZ7KEXAMPLE", lb.Subnets.ToList(), lb.Subnets.Select((_, i) => $"{region}{(char)('a' + i)}").ToList(),
            lb.Groups.ToList());
    }

    private Lb LbNamed(string call, string arn) => _lbs.FirstOrDefault(l => l.Arn == arn)
        ?? throw Refused(call, "LoadBalancerNotFound", $"Load balancer '{arn}' not found");

    private Dictionary<string, string> TagsOf(string call, string arn) => _tags.TryGetValue(arn, out var tags) ? tags
        : throw Refused(call, arn.Contains(":targetgroup/", StringComparison.Ordinal) ? "TargetGroupNotFound"
            : arn.Contains(":listener/", StringComparison.Ordinal) ? "ListenerNotFound" : "LoadBalancerNotFound", $"'{arn}' not found");

    private string NewHex() => $"{++_nextId:x16}";

    private static AwsApiException Refused(string call, string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new(ErrorCodes.AwsApiRefused, $"ELBv2 {call}", code, message, status, "fake-request", 1,
            $"ELBv2 {call} was refused by AWS: {code}: {message} (HTTP {(int)status}).");

    protected override Exception InjectedFailure(string call, string code) => Refused(call, code, "injected failure", HttpStatusCode.InternalServerError);
}
