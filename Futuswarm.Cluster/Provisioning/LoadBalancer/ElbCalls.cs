using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.LoadBalancer;

/// <summary>
/// ELBv2 and ACM calls as the engine expects them: a refusal becomes a <see cref="CloudException"/> carrying AWS's own
/// code, so the reconciler reports it like any other cloud call; a call naming something created a moment ago is
/// retried within the run's bounds while the service does not know it yet.
/// </summary>
internal static class ElbCalls
{
    public static Task<T> Run<T>(string call, Func<Task<T>> body) => CloudCalls.Api(call, body);

    public static Task Run(string call, Func<Task> body) => CloudCalls.Api(call, body);

    /// <summary>Retried while AWS answers one of <paramref name="codes"/> (an id EC2 or ELBv2 handed out moments ago).</summary>
    public static Task<T> RunFresh<T>(string call, Func<Task<T>> body, ProvisionContext ctx, CancellationToken ct, params string[] codes) =>
        Retry.OnEventualConsistencyAsync(_ => Run(call, body), e => codes.Contains(e.Code), ctx.Waits, ct);

    /// <summary>The tags of each ARN; none asked, no call.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> TagsAsync(
        IElbV2Api elb, IReadOnlyList<string> arns, CancellationToken ct) =>
        arns.Count == 0 ? new Dictionary<string, IReadOnlyDictionary<string, string>>() : await Run("DescribeTags", () => elb.DescribeTagsAsync(arns, ct));

    /// <summary>The region's load balancers tagged for the context's cluster (ELBv2 has no tag filter: list, then DescribeTags).</summary>
    public static async Task<IReadOnlyList<(ElbLoadBalancer LoadBalancer, IReadOnlyDictionary<string, string> Tags)>> OurLoadBalancersAsync(
        IElbV2Api elb, ProvisionContext ctx, CancellationToken ct)
    {
        var all = await Run("DescribeLoadBalancers", () => elb.DescribeLoadBalancersAsync([], ct));
        var tags = await TagsAsync(elb, all.Select(l => l.Arn).ToList(), ct);
        return all.Select(l => (l, tags.GetValueOrDefault(l.Arn) ?? new Dictionary<string, string>()))
            .Where(t => Ours(t.Item2, ctx)).ToList();
    }

    public static bool Ours(IReadOnlyDictionary<string, string> tags, ProvisionContext ctx) =>
        tags.GetValueOrDefault(ClusterTags.Cluster) == ctx.Cluster;

    /// <summary>A name ELBv2 keeps unique per region is taken by something not tagged for the cluster: say what to do.</summary>
    public static CloudException NameTaken(CloudException e, string what, string name, ResourceAddress address, ProvisionContext ctx) =>
        new(e.Call, e.Code, $"a {what} named {name} exists but is not tagged {ClusterTags.Cluster}={ctx.Cluster}: delete it, "
            + $"or tag it {ClusterTags.Cluster}={ctx.Cluster} and {ClusterTags.Role}={address.Role} so the run adopts it");
}
