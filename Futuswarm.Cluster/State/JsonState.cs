using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.State;

/// <summary>Typed JSON documents on top of a store.</summary>
public static class JsonState
{
    private static readonly JsonSerializerOptions Options = new(Wire.LenientJson) { WriteIndented = true };

    public static async Task<T?> ReadAsync<T>(this IStateStore store, string key, CancellationToken ct) where T : class
    {
        var bytes = await store.ReadAsync(key, ct);
        if (bytes is null) return null;
        try { return JsonSerializer.Deserialize<T>(bytes, Options); }
        catch (JsonException e) { throw new FswException(ErrorCodes.StateCorrupt, $"The stored document '{key}' cannot be read ({e.Message}). Restore it from the store's history."); }
    }

    public static Task WriteAsync<T>(this IStateStore store, string key, T value, CancellationToken ct) =>
        store.WriteAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, Options), ct);
}
