using System.Text.Json;

namespace Futuswarm.IntegrationTests;

/// <summary>The local registry's view: which tags a repository has (a push adds one).</summary>
public static class Registry
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        using var r = await Http.GetAsync($"http://127.0.0.1:5000/v2/{repository}/tags/list");
        if (!r.IsSuccessStatusCode) return [];
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return doc.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.GetString()!).Order().ToList() : [];
    }

    public static async Task<string?> DigestAsync(string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://127.0.0.1:5000/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var r = await Http.SendAsync(request);
        return r.Headers.TryGetValues("Docker-Content-Digest", out var v) ? v.First() : null;
    }
}
