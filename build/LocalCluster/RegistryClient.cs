using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The few registry v2 calls LocalCluster makes: ping, and an image's labels (manifest, then config blob),
/// which tells whether an image built from the current inputs is already there without pulling it.</summary>
static class RegistryClient
{
    const string Base = "http://127.0.0.1:5000";
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            using var r = await Http.GetAsync(Base + "/v2/", ct);
            return r.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return false; }
    }

    /// <summary>Labels of repo:tag, or null when the tag is absent.</summary>
    public static async Task<IReadOnlyDictionary<string, string>?> LabelsAsync(string repo, string tag, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, $"{Base}/v2/{repo}/manifests/{tag}");
        req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var manifest = await Http.SendAsync(req, ct);
        if (manifest.StatusCode == HttpStatusCode.NotFound) return null;
        manifest.EnsureSuccessStatusCode();
        using var m = JsonDocument.Parse(await manifest.Content.ReadAsStringAsync(ct));
        if (!m.RootElement.TryGetProperty("config", out var config)) return null; // a list/v1 manifest: not one of ours
        var digest = config.GetProperty("digest").GetString();

        using var blob = await Http.GetAsync($"{Base}/v2/{repo}/blobs/{digest}", ct);
        if (blob.StatusCode == HttpStatusCode.NotFound) return null;
        blob.EnsureSuccessStatusCode();
        using var c = JsonDocument.Parse(await blob.Content.ReadAsStringAsync(ct));
        var labels = new Dictionary<string, string>();
        if (c.RootElement.TryGetProperty("config", out var cfg) && cfg.TryGetProperty("Labels", out var l) &&
            l.ValueKind == JsonValueKind.Object)
            foreach (var p in l.EnumerateObject()) labels[p.Name] = p.Value.GetString() ?? "";
        return labels;
    }
}
