namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>The tag part of a diff: each of our tags missing or changed (e.g. a renamed <c>Name</c>).</summary>
public static class TagDiff
{
    public const string Prefix = "tag ";

    public static IEnumerable<FieldChange> Fields(IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string> observed) =>
        desired.Where(t => observed.GetValueOrDefault(t.Key) != t.Value)
            .Select(t => new FieldChange(Prefix + t.Key, observed.GetValueOrDefault(t.Key), t.Value));

    public static bool Any(Change change) => change.Fields.Any(f => f.Field.StartsWith(Prefix, StringComparison.Ordinal));
}
