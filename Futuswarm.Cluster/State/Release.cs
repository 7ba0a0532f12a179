using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.State;

public static class ReleaseStates
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>One attempt to roll out a service: written pending, then done or failed.</summary>
public sealed record Release
{
    public required int Number { get; init; }
    public required string Service { get; init; }
    public required string State { get; init; }
    public required string Image { get; init; }
    public required string ContentKey { get; init; }
    public required string SpecHash { get; init; }
    /// <summary>The project's settings as deployed; its Environment is the project's layer only.</summary>
    public required ServiceSettings Spec { get; init; }
    /// <summary>Configuration set on the cluster at this release (overrides the project's values of the same name).</summary>
    public SortedDictionary<string, string> Config { get; init; } = new(StringComparer.Ordinal);
    /// <summary>The secret versions this release uses, so a rollback brings back its values.</summary>
    public SortedDictionary<string, SecretPin> Secrets { get; init; } = new(StringComparer.Ordinal);
    public required string DeployedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? ErrorCode { get; init; }
    public string? Error { get; init; }
}
