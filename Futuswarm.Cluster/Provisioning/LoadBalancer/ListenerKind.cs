using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.LoadBalancer;

/// <summary>A listener as observed: ELBv2's description, its tags, and which of the cluster's listeners its port makes it.</summary>
public sealed record ObservedListener(ElbListener Listener, IReadOnlyDictionary<string, string> Tags, ResourceAddress Address);

/// <summary>
/// The load balancer's two listeners: <c>listener[http]</c> (80) answers every request with a permanent redirect to
/// HTTPS, <c>listener[https]</c> (443) terminates TLS with the cluster's certificate and <see cref="ElbListenerSpec.DefaultSslPolicy"/>
/// and forwards to the edge's target group. Every listener of the cluster's load balancer is the cluster's, and ELBv2
/// allows one per port, so the port says which one it is (its tags are still repaired); listeners on other ports are
/// deleted. Drift is repaired with ModifyListener, sending only what differs. While the certificate is not issued the
/// HTTPS listener's change is deferred (<see cref="ProvisionContext.Defer"/>), never failed: a later run makes it.
/// </summary>
public sealed class ListenerKind(IElbV2Api elb, IAcmApi acm, LoadBalancerSpec spec) : ResourceKind<ObservedListener>, IResourceKind
{
    public const string KindName = "listener";
    private readonly CertificateGate _certificate = new(acm, spec.BaseDomain);

    public override string Kind => KindName;

    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [LoadBalancerAddresses.HttpListener, LoadBalancerAddresses.HttpsListener];

    protected override async Task<IReadOnlyList<ObservedListener>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        await _certificate.ObserveAsync(ctx, ct);
        // A destroy plans listeners before the load balancer kind has observed: then find the load balancer here.
        var lbArn = ctx.IdOf(LoadBalancerAddresses.LoadBalancer)
                    ?? (await ElbCalls.OurLoadBalancersAsync(elb, ctx, ct)).Select(l => l.LoadBalancer.Arn).FirstOrDefault();
        if (lbArn is null) return [];
        var listeners = await ElbCalls.Run("DescribeListeners", () => elb.DescribeListenersAsync(lbArn, ct));
        var tags = await ElbCalls.TagsAsync(elb, listeners.Select(l => l.Arn).ToList(), ct);
        return listeners.Select(l => new ObservedListener(l, tags.GetValueOrDefault(l.Arn) ?? new Dictionary<string, string>(), AddressOf(l.Port))).ToList();
    }

    private static ResourceAddress AddressOf(int port) => port switch
    {
        80 => LoadBalancerAddresses.HttpListener,
        443 => LoadBalancerAddresses.HttpsListener,
        _ => new ResourceAddress(KindName, $"port-{port}"),
    };

    protected override string IdOf(ObservedListener observed) => observed.Listener.Arn;

    // Addressed by port, not by the role tag (see the class comment): the engine reads the address from this role.
    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedListener observed) =>
        new Dictionary<string, string>(observed.Tags) { [ClusterTags.Role] = observed.Address.Role };

    /// <summary>What the listener at <paramref name="address"/> should be, with ids from the context (placeholders in a plan).</summary>
    private ElbListenerSpec Wanted(ResourceAddress address, ProvisionContext ctx)
    {
        var lb = ctx.IdOrPlaceholder(LoadBalancerAddresses.LoadBalancer);
        var tags = ctx.TagsFor(address);
        return address == LoadBalancerAddresses.HttpListener
            ? ElbListenerSpec.HttpRedirectToHttps(lb, tags)
            : ElbListenerSpec.HttpsForward(lb, _certificate.Arn ?? ProvisionContext.KnownAfterApply, ctx.IdOrPlaceholder(LoadBalancerAddresses.TargetGroup), tags);
    }

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedListener? observed, ProvisionContext ctx)
    {
        var want = Wanted(address, ctx);
        var https = want.Protocol == "HTTPS";
        if (observed is null)
            return [new Change(address, ChangeAction.Create, https ? _certificate.WaitReason ?? "not found" : "not found", [
                FieldChange.Set("protocol", want.Protocol),
                FieldChange.Set("port", want.Port.ToString()),
                FieldChange.Set("default_action", ActionText(want.DefaultAction, ctx)),
                .. (https ? new[] { FieldChange.Set("certificate", _certificate.Address.ToString()), FieldChange.Set("ssl_policy", want.SslPolicy!) } : []),
            ])];

        var l = observed.Listener;
        var fields = new List<FieldChange>();
        if (l.Protocol != want.Protocol) fields.Add(new FieldChange("protocol", l.Protocol, want.Protocol));
        var haveAction = string.Join("; ", l.DefaultActions.Select(a => ActionText(a, ctx)));
        var wantAction = ActionText(want.DefaultAction, ctx);
        if (haveAction != wantAction) fields.Add(new FieldChange("default_action", haveAction, wantAction));
        var haveCert = l.CertificateArns.FirstOrDefault();
        // An unknown certificate (the access layer not observed in this run) is no evidence of drift.
        if (haveCert != want.CertificateArn && (_certificate.Arn is not null || !https))
            fields.Add(new FieldChange("certificate", haveCert is null ? null : LoadBalancerAddresses.Label(haveCert, ctx),
                want.CertificateArn is null ? null : _certificate.Address.ToString()));
        if (l.SslPolicy != want.SslPolicy) fields.Add(new FieldChange("ssl_policy", l.SslPolicy, want.SslPolicy));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        if (fields.Count == 0) return [];
        // Only a change that puts the certificate on the listener needs it issued; a policy or action fix does not.
        var needsCertificate = fields.Any(f => f.Field is "certificate" or "protocol") && https;
        var reason = needsCertificate ? _certificate.WaitReason ?? "drifted" : "drifted";
        return [new Change(address, ChangeAction.Update, reason, fields)];
    }

    private static string ActionText(ElbAction action, ProvisionContext ctx) => action switch
    {
        { Type: "redirect", Redirect: { } r } => $"redirect to {r.Protocol}:{r.Port} ({r.StatusCode})",
        { Type: "forward", TargetGroupArn: { } tg } => $"forward to {(tg == ProvisionContext.KnownAfterApply ? LoadBalancerAddresses.TargetGroup.ToString() : LoadBalancerAddresses.Label(tg, ctx))}",
        _ => action.Type,
    };

    /// <summary>A change waiting for the certificate is deferred, not applied: the run goes on and reports it.</summary>
    Task IResourceKind.ApplyAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        if (!CertificateGate.IsDeferred(change)) return ApplyAsync(change, ctx, ct);
        ctx.Defer(change);
        return Task.CompletedTask;
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var want = Wanted(change.Address, ctx) with { LoadBalancerArn = ctx.RequireId(LoadBalancerAddresses.LoadBalancer) };
        // The target group may be seconds old.
        var listener = await ElbCalls.RunFresh("CreateListener", () => elb.CreateListenerAsync(want, ct), ctx, ct, "TargetGroupNotFound");
        ctx.Created(change.Address, listener.Arn, $"{want.Protocol} {want.Port}");
        return listener.Arn;
    }

    protected override async Task UpdateAsync(Change change, ObservedListener observed, ProvisionContext ctx, CancellationToken ct)
    {
        var want = Wanted(change.Address, ctx);
        var changed = change.Fields.Select(f => f.Field).ToHashSet();
        var https = want.Protocol == "HTTPS";
        // A protocol change takes the whole listener (ELBv2 wants the certificate and policy with HTTPS); otherwise only what differs.
        var all = changed.Contains("protocol");
        var modify = new ElbListenerChange(observed.Listener.Arn,
            all ? want.Protocol : null,
            all ? want.Port : null,
            all || changed.Contains("default_action") ? want.DefaultAction : null,
            https && (all || changed.Contains("certificate")) ? want.CertificateArn : null,
            https && (all || changed.Contains("ssl_policy")) ? want.SslPolicy : null);
        if (modify != new ElbListenerChange(observed.Listener.Arn))
            await ElbCalls.Run("ModifyListener", () => elb.ModifyListenerAsync(modify, ct));
        if (TagDiff.Any(change)) await ElbCalls.Run("AddTags", () => elb.AddTagsAsync([observed.Listener.Arn], ctx.TagsFor(change.Address), ct));
    }

    protected override Task DeleteAsync(ObservedListener observed, ProvisionContext ctx, CancellationToken ct) =>
        ElbCalls.Run("DeleteListener", () => elb.DeleteListenerAsync(observed.Listener.Arn, ct));
}
