namespace Futuswarm.Cluster.State;

public sealed record AuditEntry
{
    public required DateTimeOffset At { get; init; }
    public required string User { get; init; }
    public required string KeyFingerprint { get; init; }
    public required string Verb { get; init; }
    public string? Service { get; init; }
    public required string Outcome { get; init; }
    public string? Code { get; init; }
    public long DurationMs { get; init; }
}

/// <summary>audit/&lt;date&gt;/&lt;ulid&gt;.json: one document per request, never rewritten.</summary>
public sealed class AuditLog(IStateStore store)
{
    public Task WriteAsync(AuditEntry entry, CancellationToken ct) =>
        store.WriteAsync($"audit/{entry.At.UtcDateTime:yyyy-MM-dd}/{Ulid.New(entry.At)}.json", entry, ct);
}
