namespace Futuswarm.IntegrationTests;

/// <summary>Requests through the edge proxy, as a browser resolving &lt;svc&gt;.localhost would send them.</summary>
public static class Edge
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(15) };

    public static async Task<(int Status, string Body)> GetAsync(string host, string path = "/", CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{TestCluster.EdgePort}{path}");
        request.Headers.Host = $"{host}:{TestCluster.EdgePort}";
        using var response = await Http.SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    public static Task<(int Status, string Body)> GetServiceAsync(string service, CancellationToken ct = default) =>
        GetAsync($"{service}.{TestCluster.Daemon.BaseDomain}", "/", ct);

    /// <summary>Routes are applied right after a rollout; allow a moment for the proxy to take them.</summary>
    public static async Task<(int Status, string Body)> WaitForAsync(string service, Func<string, bool> accept, TimeSpan? within = null, string path = "/")
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        (int, string) last = (0, "");
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await GetAsync($"{service}.{TestCluster.Daemon.BaseDomain}", path);
                if (last.Item1 == 200 && accept(last.Item2)) return last;
            }
            catch (HttpRequestException) { }
            await Task.Delay(300);
        }
        return last;
    }
}
