using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Futuswarm.Tasks.ContentKeys;

/// <summary>
/// Resolves an image reference to its manifest digest with one HEAD request (anonymous bearer token when
/// the registry asks for one), so a moved base image tag changes the content key.
/// </summary>
public sealed partial class RegistryDigestClient(HttpMessageHandler? handler = null)
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
    ];

    public async Task<string> ResolveAsync(string image, CancellationToken ct) =>
        await TryResolveAsync(image, ct) ?? throw new InvalidOperationException($"the registry answered 404: no manifest for {image}");

    /// <summary>The digest, or null when the registry says the tag does not exist (404); other failures throw.</summary>
    public async Task<string?> TryResolveAsync(string image, CancellationToken ct)
    {
        var (registry, repository, reference) = Parse(image);
        if (reference.StartsWith("sha256:", StringComparison.Ordinal)) return reference;
        var scheme = IsLoopback(registry) ? "http" : "https";
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(20);
        var url = $"{scheme}://{registry}/v2/{repository}/manifests/{reference}";

        using var first = await HeadAsync(http, url, null, ct);
        if (first.StatusCode == HttpStatusCode.Unauthorized && first.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme == "Bearer") is { } challenge)
        {
            var token = await TokenAsync(http, challenge.Parameter ?? "", repository, ct);
            using var second = await HeadAsync(http, url, token, ct);
            return DigestOf(second, image);
        }
        return DigestOf(first, image);
    }

    public static (string Registry, string Repository, string Reference) Parse(string image)
    {
        string reference;
        var at = image.IndexOf('@');
        if (at >= 0) { reference = image[(at + 1)..]; image = image[..at]; }
        else
        {
            var colon = image.LastIndexOf(':');
            var slash = image.LastIndexOf('/');
            if (colon > slash) { reference = image[(colon + 1)..]; image = image[..colon]; }
            else reference = "latest";
        }
        var first = image.Split('/')[0];
        string registry, repository;
        if (image.Contains('/') && (first.Contains('.') || first.Contains(':') || first == "localhost"))
        {
            registry = first;
            repository = image[(first.Length + 1)..];
        }
        else
        {
            registry = "registry-1.docker.io";
            repository = image.Contains('/') ? image : "library/" + image;
        }
        if (registry is "docker.io" or "index.docker.io")
        {
            registry = "registry-1.docker.io";
            if (!repository.Contains('/')) repository = "library/" + repository; // official images
        }
        return (registry, repository, reference);
    }

    private static bool IsLoopback(string registry)
    {
        var host = registry.Split(':')[0];
        return host == "localhost" || host.StartsWith("127.", StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> HeadAsync(HttpClient http, string url, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        foreach (var t in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(t));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, ct);
    }

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex ChallengeParameter();

    private static async Task<string> TokenAsync(HttpClient http, string challenge, string repository, CancellationToken ct)
    {
        var p = ChallengeParameter().Matches(challenge).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        if (!p.TryGetValue("realm", out var realm)) throw new InvalidOperationException("the registry's challenge names no realm");
        var scope = p.TryGetValue("scope", out var s) ? s : $"repository:{repository}:pull";
        var url = $"{realm}?scope={Uri.EscapeDataString(scope)}" + (p.TryGetValue("service", out var svc) ? $"&service={Uri.EscapeDataString(svc)}" : "");
        using var doc = JsonDocument.Parse(await http.GetStringAsync(url, ct));
        return doc.RootElement.TryGetProperty("token", out var t) ? t.GetString()! : doc.RootElement.GetProperty("access_token").GetString()!;
    }

    private static string? DigestOf(HttpResponseMessage response, string image)
    {
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"the registry answered {(int)response.StatusCode} for {image}");
        return response.Headers.TryGetValues("Docker-Content-Digest", out var v) ? v.First()
            : throw new InvalidOperationException($"the registry gave no digest for {image}");
    }
}
