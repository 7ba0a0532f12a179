using System.Text.Json;
using System.Text.Json.Nodes;
using Futuswarm.Cluster.Provisioning.Aws;

namespace Futuswarm.Cluster.Provisioning.Access;

/// <summary>
/// ACM's ListTagsForCertificate, which IAcmApi lacks: certificates are found by the cluster's tags, and ACM's list
/// and describe calls answer no tags.
/// </summary>
public interface IAcmTags
{
    Task<IReadOnlyDictionary<string, string>> ListTagsForCertificateAsync(string certificateArn, CancellationToken ct);
}

/// <summary><see cref="IAcmTags"/> over ACM's JSON 1.1 API, on the same transport and signing as AcmClient.</summary>
public sealed class AcmTagsClient(AwsHttpTransport transport, AwsEndpoint endpoint) : IAcmTags
{
    private readonly AwsJsonClient _json = new(transport, endpoint, AcmClient.TargetPrefix);

    public AcmTagsClient(AwsHttpTransport transport, string region) : this(transport, AwsEndpoint.Acm(region)) { }

    public Task<IReadOnlyDictionary<string, string>> ListTagsForCertificateAsync(string certificateArn, CancellationToken ct) =>
        _json.CallAsync("ListTagsForCertificate", new JsonObject { ["CertificateArn"] = certificateArn }, Read, ct);

    /// <summary>{"Tags":[{"Key":"k","Value":"v"}]}; a tag without a value reads as "".</summary>
    public static IReadOnlyDictionary<string, string> Read(JsonElement response)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (response.TryGetProperty("Tags", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var t in list.EnumerateArray())
                tags[t.GetProperty("Key").GetString()!] = t.TryGetProperty("Value", out var v) ? v.GetString() ?? "" : "";
        return tags;
    }
}
