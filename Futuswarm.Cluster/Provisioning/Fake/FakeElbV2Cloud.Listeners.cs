using Futuswarm.Cluster.Provisioning.Aws;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>Listeners: one per port of a load balancer, HTTPS only with a certificate ACM has issued.</summary>
public sealed partial class FakeElbV2Cloud
{
    private sealed class Listener(string arn, string loadBalancerArn)
    {
        public string Arn { get; } = arn;
        public string LoadBalancerArn { get; } = loadBalancerArn;
        public string Protocol { get; set; } = "HTTP";
        public int Port { get; set; }
        public ElbAction Action { get; set; } = new("forward");
        public string? Certificate { get; set; }
        public string? Policy { get; set; }
    }

    private readonly List<Listener> _listeners = [];

    /// <summary>Every listener as "port protocol action", for assertions.</summary>
    public IReadOnlyList<string> ListenerSummaries => _listeners.OrderBy(l => l.Port)
        .Select(l => $"{l.Port} {l.Protocol} {l.Action.Type}{(l.Certificate is null ? "" : " " + l.Certificate)}").ToList();

    public Task<IReadOnlyList<ElbListener>> DescribeListenersAsync(string loadBalancerArn, CancellationToken ct)
    {
        Reading();
        return Task.FromResult<IReadOnlyList<ElbListener>>(_listeners.Where(l => l.LoadBalancerArn == loadBalancerArn).Select(View).ToList());
    }

    public Task<ElbListener> CreateListenerAsync(ElbListenerSpec spec, CancellationToken ct)
    {
        Mutating("CreateListener", $"{spec.Port} {spec.Protocol}");
        var lb = LbNamed("CreateListener", spec.LoadBalancerArn);
        if (_listeners.Any(l => l.LoadBalancerArn == lb.Arn && l.Port == spec.Port))
            throw Refused("CreateListener", "DuplicateListener", "A listener with the specified port already exists");
        var listener = new Listener($"arn:aws:elasticloadbalancing:{region}:{accountId}:listener/app/{lb.Spec.Name}/{lb.Arn[^16..]}/{NewHex()}", lb.Arn);
        Apply("CreateListener", listener, spec.Protocol, spec.Port, spec.DefaultAction, spec.CertificateArn, spec.SslPolicy);
        _listeners.Add(listener);
        _tags[listener.Arn] = new(spec.Tags, StringComparer.Ordinal);
        return Task.FromResult(View(listener));
    }

    public Task<ElbListener> ModifyListenerAsync(ElbListenerChange change, CancellationToken ct)
    {
        Mutating("ModifyListener", change.ListenerArn);
        var listener = ListenerNamed("ModifyListener", change.ListenerArn);
        Apply("ModifyListener", listener, change.Protocol ?? listener.Protocol, change.Port ?? listener.Port, change.DefaultAction ?? listener.Action,
            change.CertificateArn ?? listener.Certificate, change.SslPolicy ?? listener.Policy);
        return Task.FromResult(View(listener));
    }

    public Task DeleteListenerAsync(string listenerArn, CancellationToken ct)
    {
        Mutating("DeleteListener", listenerArn);
        RemoveListener(ListenerNamed("DeleteListener", listenerArn));
        return Task.CompletedTask;
    }

    /// <summary>Checks a listener's new properties as ELBv2 does, then sets them; HTTP drops the certificate and the policy.</summary>
    private void Apply(string call, Listener listener, string protocol, int port, ElbAction action, string? certificate, string? policy)
    {
        if (action.Type == "forward") TgNamed(call, action.TargetGroupArn ?? "");
        var https = protocol == "HTTPS";
        if (https) CheckCertificate(call, certificate);
        var old = listener.Certificate;
        listener.Protocol = protocol;
        listener.Port = port;
        listener.Action = action;
        listener.Certificate = https ? certificate : null;
        listener.Policy = https ? policy ?? "ELBSecurityPolicy-2016-08" : null;
        if (old == listener.Certificate) return;
        // ACM shows the load balancer among the certificate's users, so it refuses to delete a certificate in use.
        if (old is not null) acm?.Release(old, listener.LoadBalancerArn);
        if (listener.Certificate is { } used) acm?.Use(used, listener.LoadBalancerArn);
    }

    private void CheckCertificate(string call, string? arn)
    {
        if (string.IsNullOrEmpty(arn))
            throw Refused(call, "ValidationError", "A certificate must be specified for HTTPS listeners");
        if (acm is null) return;
        var status = acm.DescribeCertificateAsync(arn, CancellationToken.None).Result?.Status;
        if (status != "ISSUED")
            throw Refused(call, "CertificateNotFound", status is null ? $"Certificate '{arn}' not found" : $"Certificate '{arn}' is {status}, not issued");
    }

    private void RemoveListener(Listener listener)
    {
        if (listener.Certificate is { } cert) acm?.Release(cert, listener.LoadBalancerArn);
        _listeners.Remove(listener);
        _tags.Remove(listener.Arn);
    }

    private static ElbListener View(Listener l) =>
        new(l.Arn, l.LoadBalancerArn, l.Protocol, l.Port, l.Certificate is null ? [] : [l.Certificate], l.Policy, [l.Action]);

    private Listener ListenerNamed(string call, string arn) => _listeners.FirstOrDefault(l => l.Arn == arn)
        ?? throw Refused(call, "ListenerNotFound", $"Listener '{arn}' not found");
}
