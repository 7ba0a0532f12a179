using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Edge;

/// <summary>Caddy's admin API over its unix socket (no network client can reach it).</summary>
public sealed class CaddyAdminClient : IDisposable
{
    private readonly HttpClient _http;

    public CaddyAdminClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try { await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct); }
                catch { socket.Dispose(); throw; }
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        // Host must be localhost: the admin endpoint only accepts the origins it was configured with.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://localhost/"), Timeout = TimeSpan.FromSeconds(15) };
    }

    public async Task<bool> IsUpAsync(CancellationToken ct)
    {
        try { using var r = await _http.GetAsync("config/", ct); return r.IsSuccessStatusCode; }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or TaskCanceledException) { return false; }
    }

    public async Task<string> GetRoutesJsonAsync(CancellationToken ct) =>
        await _http.GetStringAsync("config/apps/http/servers/edge/routes", ct);

    public async Task LoadAsync(JsonObject config, CancellationToken ct)
    {
        using var content = new StringContent(config.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var r = await _http.PostAsync("load", content, ct);
        if (!r.IsSuccessStatusCode)
            throw new FswException(ErrorCodes.EngineError, $"The edge proxy refused its configuration ({(int)r.StatusCode}): {await r.Content.ReadAsStringAsync(ct)}");
    }

    public void Dispose() => _http.Dispose();
}
