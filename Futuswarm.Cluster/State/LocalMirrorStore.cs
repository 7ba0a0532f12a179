namespace Futuswarm.Cluster.State;

/// <summary>
/// A remote store (S3) with a few keys also kept as files in a local directory, for readers that cannot reach
/// the store: sshd's AuthorizedKeysCommand is a jq one-liner over &lt;StateDirectory&gt;/acl.json. The store stays
/// the source; the mirror is written after every write of a mirrored key and refreshed at daemon start.
/// </summary>
public sealed class LocalMirrorStore : IStateStore
{
    private readonly IStateStore _inner;
    private readonly LocalDirectoryStore _mirror;
    private readonly IReadOnlyCollection<string> _keys;

    /// <param name="mirrored">The mirrored keys, each with the group that may read its file (written atomically, 0640 root:group).</param>
    public LocalMirrorStore(IStateStore inner, string directory, IReadOnlyDictionary<string, int> mirrored)
    {
        _inner = inner;
        _mirror = new LocalDirectoryStore(directory, mirrored);
        _keys = mirrored.Keys.ToList();
    }

    public IStateStore Inner => _inner;

    public Task<byte[]?> ReadAsync(string key, CancellationToken ct) => _inner.ReadAsync(key, ct);

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct) => _inner.ListAsync(prefix, ct);

    // The store first: a failed mirror write leaves the mirror stale until the next write or start, never ahead.
    public async Task WriteAsync(string key, byte[] data, CancellationToken ct)
    {
        await _inner.WriteAsync(key, data, ct);
        if (_keys.Contains(key)) await _mirror.WriteAsync(key, data, ct);
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        await _inner.DeleteAsync(key, ct);
        if (_keys.Contains(key)) await _mirror.DeleteAsync(key, ct);
    }

    /// <summary>Makes each mirrored file what the store holds (removed when the store has none), e.g. after
    /// the store was changed by another writer or restored.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        foreach (var key in _keys)
        {
            if (await _inner.ReadAsync(key, ct) is { } data) await _mirror.WriteAsync(key, data, ct);
            else await _mirror.DeleteAsync(key, ct);
        }
    }
}
