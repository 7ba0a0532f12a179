using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Access;

/// <summary>A certificate as observed: ACM's description and its tags (ListTagsForCertificate).</summary>
public sealed record ObservedCertificate(AcmCertificate Certificate, IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// The load balancer's ACM certificate for <c>*.&lt;baseDomain&gt;</c> and <c>&lt;baseDomain&gt;</c>, DNS-validated
/// (<c>certificate[&lt;baseDomain&gt;]</c>). Found by the cluster's tags (ListCertificates, ListTagsForCertificate,
/// DescribeCertificate). The validation CNAMEs are logged for the operator at apply once ACM returns them, and at
/// every plan while the certificate waits for them. When the base domain changes the new certificate is requested
/// first and the old one (now a stray address) deleted after it.
/// </summary>
public sealed class CertificateKind(IAcmApi acm, IAcmTags tags, AccessSpec spec) : ResourceKind<ObservedCertificate>
{
    public const string KindName = "certificate";
    public const string PendingValidation = "PENDING_VALIDATION";
    private const string RecordsMissing = "ValidationRecords.NotFound";

    private IReadOnlyList<ObservedCertificate> _observed = [];

    public override string Kind => KindName;

    public static ResourceAddress AddressFor(string baseDomain) => new(KindName, baseDomain);

    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [AddressFor(spec.BaseDomain)];

    protected override async Task<IReadOnlyList<ObservedCertificate>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var found = new List<ObservedCertificate>();
        foreach (var summary in await Run("ListCertificates", () => acm.ListCertificatesAsync([], ct)))
        {
            var tagged = await Run("ListTagsForCertificate", () => tags.ListTagsForCertificateAsync(summary.Arn, ct));
            if (tagged.GetValueOrDefault(ClusterTags.Cluster) != ctx.Cluster) continue;
            if (await Run("DescribeCertificate", () => acm.DescribeCertificateAsync(summary.Arn, ct)) is { } certificate)
                found.Add(new ObservedCertificate(certificate, tagged));
        }
        _observed = found;
        return found;
    }

    protected override string IdOf(ObservedCertificate observed) => observed.Certificate.Arn;

    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedCertificate observed) => observed.Tags;

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedCertificate? observed, ProvisionContext ctx)
    {
        List<FieldChange> wanted = [
            FieldChange.Set("domain", spec.CertificateDomain),
            FieldChange.Set("san", spec.BaseDomain),
            FieldChange.Set("validation", "DNS (CNAME records printed once ACM returns them)"),
        ];
        if (observed is null)
        {
            var old = _observed.Select(o => o.Certificate).Where(c => c.DomainName != spec.CertificateDomain).Select(c => c.DomainName).ToList();
            var reason = old.Count == 0 ? "not found"
                : $"not found; replaces the certificate for {string.Join(", ", old)} (the base domain changed): the new one is requested "
                  + "first and the old one deleted after it, which is safe because no listener uses it yet";
            return [new Change(address, ChangeAction.Create, reason, wanted)];
        }

        var c = observed.Certificate;
        if (c.DomainName != spec.CertificateDomain || !c.SubjectAlternativeNames.Contains(spec.BaseDomain))
            return [new Change(address, ChangeAction.Replace, "certificate for other names", [
                new FieldChange("domain", c.DomainName, spec.CertificateDomain),
                new FieldChange("san", string.Join(", ", c.SubjectAlternativeNames), spec.BaseDomain)])];

        if (c.Status == PendingValidation) LogRecords(address, c, ctx);
        return [];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var request = AcmCertificateRequest.Wildcard(spec.BaseDomain, spec.IdempotencyToken, ctx.TagsFor(change.Address));
        var arn = await Run("RequestCertificate", () => acm.RequestCertificateAsync(request, ct));
        ctx.Created(change.Address, arn, request.DomainName);
        try
        {
            // ACM fills in the validation records a few seconds after the request.
            var certificate = await Retry.OnEventualConsistencyAsync(async _ =>
            {
                var c = await Run("DescribeCertificate", () => acm.DescribeCertificateAsync(arn, ct));
                return c is not null && c.DomainValidationOptions.Count > 0 && c.DomainValidationOptions.All(v => v.ResourceRecord is not null)
                    ? c : throw new CloudException("DescribeCertificate", RecordsMissing, "no validation records yet");
            }, e => e.Code == RecordsMissing, ctx.Waits, ct);
            LogRecords(change.Address, certificate, ctx);
        }
        catch (CloudException e) when (e.Code == RecordsMissing)
        {
            ctx.Log($"{change.Address}: ACM has not returned the DNS validation records yet; PlanCluster prints them once it has.");
        }
        return arn;
    }

    // Nothing to update in place: the names are fixed at request, and IAcmApi cannot tag an existing certificate.
    protected override Task UpdateAsync(Change change, ObservedCertificate observed, ProvisionContext ctx, CancellationToken ct) => Task.CompletedTask;

    /// <summary>ACM refuses (ResourceInUseException) while a listener still uses the certificate.</summary>
    protected override Task DeleteAsync(ObservedCertificate observed, ProvisionContext ctx, CancellationToken ct) =>
        Run("DeleteCertificate", async () => { await acm.DeleteCertificateAsync(observed.Certificate.Arn, ct); return true; });

    /// <summary>The CNAMEs the operator creates, one per validation domain (the wildcard and the apex share one).</summary>
    public static IReadOnlyList<AcmResourceRecord> Records(AcmCertificate certificate) =>
        certificate.DomainValidationOptions.Select(v => v.ResourceRecord).OfType<AcmResourceRecord>().Distinct()
            .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();

    private static void LogRecords(ResourceAddress address, AcmCertificate certificate, ProvisionContext ctx)
    {
        var records = Records(certificate);
        if (records.Count == 0)
        {
            ctx.Log($"{address}: {certificate.Status}; ACM has not returned the DNS validation records yet.");
            return;
        }
        ctx.Log($"{address}: {certificate.Status}; create these DNS records (name, type, value) for ACM's validation:");
        foreach (var r in records) ctx.Log($"    {r.Name} {r.Type} {r.Value}");
    }

    private static async Task<T> Run<T>(string call, Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (AwsApiException e)
        {
            throw new CloudException(call, e.AwsCode, e.AwsMessage);
        }
    }
}
