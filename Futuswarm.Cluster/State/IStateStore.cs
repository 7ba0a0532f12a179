namespace Futuswarm.Cluster.State;

/// <summary>
/// The cluster's state outside the swarm (DESIGN.md section 6). Keys are '/'-separated relative paths.
/// Writes are serialized by the daemon, so implementations need no conditional writes.
/// </summary>
public interface IStateStore
{
    Task<byte[]?> ReadAsync(string key, CancellationToken ct);
    Task WriteAsync(string key, byte[] data, CancellationToken ct);
    /// <summary>Keys under a prefix (recursive), in ordinal order. "a" and "a/" both mean the folder a/ (never "ab/..."); "" means every key.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct);
    Task DeleteAsync(string key, CancellationToken ct);
}
