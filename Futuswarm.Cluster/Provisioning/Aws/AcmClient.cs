using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>IAcmApi over ACM's JSON 1.1 API (2015-12-08) of one region (the load balancer's).</summary>
public sealed partial class AcmClient(AwsHttpTransport transport, AwsEndpoint endpoint) : IAcmApi
{
    public const string TargetPrefix = "CertificateManager";
    private readonly AwsJsonClient _json = new(transport, endpoint, TargetPrefix);

    public AcmClient(AwsHttpTransport transport, string region) : this(transport, AwsEndpoint.Acm(region)) { }

    public Task<string> RequestCertificateAsync(AcmCertificateRequest request, CancellationToken ct)
    {
        if (!IdempotencyToken().IsMatch(request.IdempotencyToken))
            throw new FswException(ErrorCodes.AwsRequestInvalid,
                $"ACM RequestCertificate: the idempotency token '{request.IdempotencyToken}' must be 1 to 32 letters, digits or underscores.");
        if (string.IsNullOrWhiteSpace(request.DomainName))
            throw new FswException(ErrorCodes.AwsRequestInvalid, "ACM RequestCertificate: the domain name is empty; set the cluster's base domain.");
        var body = new JsonObject
        {
            ["DomainName"] = request.DomainName,
            ["ValidationMethod"] = "DNS",
            ["IdempotencyToken"] = request.IdempotencyToken,
        };
        if (request.SubjectAlternativeNames.Count > 0)
            body["SubjectAlternativeNames"] = new JsonArray(request.SubjectAlternativeNames.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray());
        if (request.Tags.Count > 0)
            body["Tags"] = new JsonArray(request.Tags.OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray());
        return _json.CallAsync("RequestCertificate", body, r => Required(r, "CertificateArn"), ct);
    }

    public async Task<AcmCertificate?> DescribeCertificateAsync(string certificateArn, CancellationToken ct)
    {
        try
        {
            return await _json.CallAsync("DescribeCertificate", new JsonObject { ["CertificateArn"] = certificateArn },
                r => ReadCertificate(r.GetProperty("Certificate")), ct);
        }
        catch (AwsApiException e) when (e.AwsCode == "ResourceNotFoundException")
        {
            return null;
        }
    }

    /// <remarks>Without an Includes filter ACM lists RSA 2048 certificates only, which is what RequestCertificate makes.</remarks>
    public async Task<IReadOnlyList<AcmCertificateSummary>> ListCertificatesAsync(IReadOnlyList<string> statuses, CancellationToken ct)
    {
        var all = new List<AcmCertificateSummary>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var body = new JsonObject();
            if (statuses.Count > 0) body["CertificateStatuses"] = new JsonArray(statuses.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
            if (token is not null) body["NextToken"] = token;
            var (items, next) = await _json.CallAsync("ListCertificates", body, r => (
                r.TryGetProperty("CertificateSummaryList", out var list)
                    ? list.EnumerateArray().Select(c => new AcmCertificateSummary(Required(c, "CertificateArn"), Optional(c, "DomainName") ?? "", Optional(c, "Status"))).ToList()
                    : [],
                Optional(r, "NextToken")), ct);
            all.AddRange(items);
            token = string.IsNullOrEmpty(next) ? null : next;
            if (token is not null && !seen.Add(token))
                throw AwsApiException.Unreadable("ACM ListCertificates", $"the NextToken {token} came back twice", System.Net.HttpStatusCode.OK);
        }
        while (token is not null);
        return all;
    }

    public Task DeleteCertificateAsync(string certificateArn, CancellationToken ct) =>
        _json.CallAsync("DeleteCertificate", new JsonObject { ["CertificateArn"] = certificateArn }, _ => true, ct);

    /// <summary>One DomainValidation object (the certificate's, or a renewal's, have the same shape).</summary>
    public static AcmDomainValidation ReadDomainValidation(JsonElement v) => new(
        Required(v, "DomainName"),
        Optional(v, "ValidationDomain"),
        Optional(v, "ValidationMethod"),
        Optional(v, "ValidationStatus"),
        v.TryGetProperty("ResourceRecord", out var rr) && rr.ValueKind == JsonValueKind.Object
            ? new AcmResourceRecord(Required(rr, "Name"), Required(rr, "Type"), Required(rr, "Value"))
            : null);

    private static AcmCertificate ReadCertificate(JsonElement c) => new(
        Required(c, "CertificateArn"),
        Required(c, "DomainName"),
        Strings(c, "SubjectAlternativeNames"),
        Optional(c, "Status") ?? "",
        Optional(c, "Type"),
        c.TryGetProperty("DomainValidationOptions", out var dvo) ? dvo.EnumerateArray().Select(ReadDomainValidation).ToList() : [],
        Strings(c, "InUseBy"),
        c.TryGetProperty("NotAfter", out var notAfter) && notAfter.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(notAfter.GetDouble() * 1000))
            : null);

    private static string Required(JsonElement e, string name) =>
        Optional(e, name) is { Length: > 0 } v ? v : throw new FormatException($"no \"{name}\" in the answer");

    private static string? Optional(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];

    [GeneratedRegex(@"^\w{1,32}$")]
    private static partial Regex IdempotencyToken();
}
