namespace Futuswarm.Cluster.State;

/// <summary>services/&lt;svc&gt;/releases/&lt;n&gt;.json, numbered from 1, zero-padded so keys sort by number.</summary>
public sealed class ReleaseRepository(IStateStore store)
{
    private static string Prefix(string service) => $"services/{service}/releases/";
    private static string Key(string service, int n) => $"{Prefix(service)}{n:D6}.json";

    public async Task<IReadOnlyList<int>> NumbersAsync(string service, CancellationToken ct)
    {
        var keys = await store.ListAsync(Prefix(service), ct);
        return keys.Select(k => int.TryParse(Path.GetFileNameWithoutExtension(k), out var n) ? n : 0).Where(n => n > 0).Order().ToList();
    }

    public Task<Release?> ReadAsync(string service, int n, CancellationToken ct) => store.ReadAsync<Release>(Key(service, n), ct);

    public Task WriteAsync(Release release, CancellationToken ct) => store.WriteAsync(Key(release.Service, release.Number), release, ct);

    /// <summary>The newest release that finished rolling out: what runs now.</summary>
    public async Task<Release?> LatestDoneAsync(string service, CancellationToken ct)
    {
        var numbers = await NumbersAsync(service, ct);
        for (var i = numbers.Count - 1; i >= 0; i--)
        {
            var r = await ReadAsync(service, numbers[i], ct);
            if (r?.State == ReleaseStates.Done) return r;
        }
        return null;
    }

    public async Task<int> NextNumberAsync(string service, CancellationToken ct)
    {
        var numbers = await NumbersAsync(service, ct);
        return numbers.Count == 0 ? 1 : numbers[^1] + 1;
    }

    /// <summary>Names of every service with any release, so routes can be rebuilt from the store alone.</summary>
    public async Task<IReadOnlyList<string>> ServicesAsync(CancellationToken ct)
    {
        var keys = await store.ListAsync("services/", ct);
        return keys.Select(k => k.Split('/')).Where(p => p.Length >= 4 && p[2] == "releases").Select(p => p[1]).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
