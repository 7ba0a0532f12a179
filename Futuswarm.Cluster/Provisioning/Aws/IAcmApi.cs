namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// Exactly the ACM calls the cluster's wildcard certificate needs (JSON 1.1, target prefix CertificateManager).
/// AcmClient speaks to AWS; a fake cloud implements the same. DescribeCertificate answers null for a certificate
/// that does not exist (ResourceNotFoundException); list calls follow NextToken themselves.
/// </summary>
public interface IAcmApi
{
    /// <summary>Requests a DNS-validated certificate; answers its ARN. The token makes a retried request return the same certificate.</summary>
    Task<string> RequestCertificateAsync(AcmCertificateRequest request, CancellationToken ct);
    Task<AcmCertificate?> DescribeCertificateAsync(string certificateArn, CancellationToken ct);
    /// <summary>Every certificate in the region, or those in the given statuses (e.g. ISSUED, PENDING_VALIDATION).</summary>
    Task<IReadOnlyList<AcmCertificateSummary>> ListCertificatesAsync(IReadOnlyList<string> statuses, CancellationToken ct);
    Task DeleteCertificateAsync(string certificateArn, CancellationToken ct);
}

/// <param name="DomainName">E.g. "*.apps.example.com".</param>
/// <param name="SubjectAlternativeNames">E.g. the apex "apps.example.com", so one certificate serves both.</param>
/// <param name="IdempotencyToken">Up to 32 word characters; the same token within an hour answers the same certificate.</param>
public sealed record AcmCertificateRequest(
    string DomainName,
    IReadOnlyList<string> SubjectAlternativeNames,
    string IdempotencyToken,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>"*.{domain}" with the apex "{domain}" as the second name.</summary>
    public static AcmCertificateRequest Wildcard(string domain, string idempotencyToken, IReadOnlyDictionary<string, string> tags) =>
        new($"*.{domain}", [domain], idempotencyToken, tags);
}

/// <param name="Status">PENDING_VALIDATION, ISSUED, INACTIVE, EXPIRED, VALIDATION_TIMED_OUT, REVOKED, FAILED.</param>
public sealed record AcmCertificate(
    string Arn,
    string DomainName,
    IReadOnlyList<string> SubjectAlternativeNames,
    string Status,
    string? Type,
    IReadOnlyList<AcmDomainValidation> DomainValidationOptions,
    IReadOnlyList<string> InUseBy,
    DateTimeOffset? NotAfter);

/// <param name="ResourceRecord">The CNAME the operator creates for DNS validation; absent until ACM has made it.</param>
public sealed record AcmDomainValidation(
    string DomainName,
    string? ValidationDomain,
    string? ValidationMethod,
    string? ValidationStatus,
    AcmResourceRecord? ResourceRecord);

public sealed record AcmResourceRecord(string Name, string Type, string Value);

public sealed record AcmCertificateSummary(string Arn, string DomainName, string? Status);
