using System.Net;
using Futuswarm.Cluster.Provisioning.Access;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// An in-memory ACM behind <see cref="IAcmApi"/> and <see cref="IAcmTags"/>: a request with a known idempotency token
/// answers the same certificate, certificates wait in PENDING_VALIDATION with one CNAME per validation domain (the
/// wildcard and its apex share it), a certificate in use cannot be deleted (ResourceInUseException), an unknown ARN is
/// ResourceNotFoundException. Counts every mutating call by name and can refuse the Nth one.
/// </summary>
public sealed class FakeAcmCloud(string region = "eu-north-1", string accountId = "123456789012") : FakeCloud("InternalFailure"), IAcmApi, IAcmTags
{
    private sealed class Cert(string arn, AcmCertificateRequest request)
    {
        public string Arn { get; } = arn;
        public AcmCertificateRequest Request { get; } = request;
        public string Status { get; set; } = "PENDING_VALIDATION";
        public List<string> InUseBy { get; } = [];
    }

    private readonly List<Cert> _certs = [];
    private int _nextId;

    /// <summary>Every certificate's ARN and domain name, in request order.</summary>
    public IReadOnlyList<(string Arn, string DomainName)> Certificates => _certs.Select(c => (c.Arn, c.Request.DomainName)).ToList();

    public override IReadOnlyList<string> Tagged(string cluster) =>
        _certs.Where(c => c.Request.Tags.GetValueOrDefault(Engine.ClusterTags.Cluster) == cluster).Select(c => "certificate " + c.Arn).ToList();

    /// <summary>A load balancer starts using the certificate.</summary>
    public void Use(string arn, string loadBalancerArn) => _certs.Single(c => c.Arn == arn).InUseBy.Add(loadBalancerArn);

    /// <summary>A load balancer stops using the certificate (its listener deleted or changed).</summary>
    public void Release(string arn, string loadBalancerArn) => _certs.FirstOrDefault(c => c.Arn == arn)?.InUseBy.Remove(loadBalancerArn);

    /// <summary>The operator's records resolved: ACM issues the certificate.</summary>
    public void Issue(string arn) => _certs.Single(c => c.Arn == arn).Status = "ISSUED";

    /// <summary>The validation CNAME of one domain, the same for every certificate naming it (as ACM's are per account).</summary>
    public static AcmResourceRecord RecordFor(string domain)
    {
        var apex = domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain;
        var h = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(apex))).ToLowerInvariant();
        return new AcmResourceRecord($"_{h[..32]}.{apex}.", "CNAME", $"_{h[32..64]}.zfyfvmchrl.acm-validations.aws.");
    }

    public Task<string> RequestCertificateAsync(AcmCertificateRequest request, CancellationToken ct)
    {
        Mutating("RequestCertificate", request.DomainName);
        if (_certs.FirstOrDefault(c => c.Request.IdempotencyToken == request.IdempotencyToken) is { } same) return Task.FromResult(same.Arn);
        var cert = new Cert($"arn:aws:acm:{region}:{accountId}:certificate/00000000-0000-0000-0000-{++_nextId:D12}", request);
        _certs.Add(cert);
        return Task.FromResult(cert.Arn);
    }

    public Task<AcmCertificate?> DescribeCertificateAsync(string certificateArn, CancellationToken ct)
    {
        Reading();
        var c = _certs.FirstOrDefault(c => c.Arn == certificateArn);
        return Task.FromResult(c is null ? null : new AcmCertificate(c.Arn, c.Request.DomainName, [c.Request.DomainName, .. c.Request.SubjectAlternativeNames],
            c.Status, "AMAZON_ISSUED",
            [.. new[] { c.Request.DomainName }.Concat(c.Request.SubjectAlternativeNames).Select(d =>
                new AcmDomainValidation(d, d.TrimStart('*', '.'), "DNS", c.Status == "ISSUED" ? "SUCCESS" : "PENDING_VALIDATION", RecordFor(d)))],
            c.InUseBy.ToList(), null));
    }

    public Task<IReadOnlyList<AcmCertificateSummary>> ListCertificatesAsync(IReadOnlyList<string> statuses, CancellationToken ct)
    {
        Reading();
        return Task.FromResult<IReadOnlyList<AcmCertificateSummary>>(_certs.Where(c => statuses.Count == 0 || statuses.Contains(c.Status))
            .Select(c => new AcmCertificateSummary(c.Arn, c.Request.DomainName, c.Status)).ToList());
    }

    public Task<IReadOnlyDictionary<string, string>> ListTagsForCertificateAsync(string certificateArn, CancellationToken ct)
    {
        Reading();
        var c = Named("ListTagsForCertificate", certificateArn);
        return Task.FromResult<IReadOnlyDictionary<string, string>>(new SortedDictionary<string, string>(c.Request.Tags.ToDictionary(), StringComparer.Ordinal));
    }

    public Task DeleteCertificateAsync(string certificateArn, CancellationToken ct)
    {
        Mutating("DeleteCertificate", certificateArn);
        var c = Named("DeleteCertificate", certificateArn);
        if (c.InUseBy.Count > 0)
            throw Refused("DeleteCertificate", "ResourceInUseException", $"Certificate {certificateArn} in use by {string.Join(", ", c.InUseBy)}", HttpStatusCode.BadRequest);
        _certs.Remove(c);
        return Task.CompletedTask;
    }

    private Cert Named(string call, string arn) => _certs.FirstOrDefault(c => c.Arn == arn)
        ?? throw Refused(call, "ResourceNotFoundException", $"Could not find certificate {arn}.", HttpStatusCode.BadRequest);

    private static AwsApiException Refused(string call, string code, string message, HttpStatusCode status) =>
        new(ErrorCodes.AwsApiRefused, $"ACM {call}", code, message, status, "fake-request", 1,
            $"ACM {call} was refused by AWS: {code}: {message} (HTTP {(int)status}).");

    protected override Exception InjectedFailure(string call, string code) => Refused(call, code, "injected failure", HttpStatusCode.InternalServerError);
}
