namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// The tags that find a cluster's resources again. Observation is by these tags alone, so a re-run needs no
/// local state file: whatever a failed run created is found and reused.
/// </summary>
public static class ClusterTags
{
    public const string Cluster = "futuswarm:cluster";
    public const string Role = "futuswarm:role";
    public const string Name = "Name";

    /// <summary>The tags every resource of <paramref name="cluster"/> at <paramref name="address"/> carries.</summary>
    public static IReadOnlyDictionary<string, string> For(string cluster, ResourceAddress address) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Cluster] = cluster,
            [Role] = address.Role,
            [Name] = address.Name is null ? $"{cluster}-{address.Kind}" : $"{cluster}-{address.Kind}-{address.Name}",
        };
}
