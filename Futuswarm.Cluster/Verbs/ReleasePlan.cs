using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>What one release is made of: the project's image and settings, and the cluster's config and secret versions.</summary>
public sealed record ReleasePlan
{
    public required string Service { get; init; }
    public required string Image { get; init; }
    public required string ContentKey { get; init; }
    /// <summary>The project's settings; its Environment is the project's layer.</summary>
    public required ServiceSettings Spec { get; init; }
    public required ServiceConfiguration Config { get; init; }
    public required int TimeoutSeconds { get; init; }

    public ServiceSettings EffectiveSettings() => Spec with { Environment = Config.EffectiveEnvironment(Spec.Environment) };
}
