using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// EC2's Describe filter semantics: every filter must match (AND), any of a filter's values may (OR), <c>*</c>
/// matches any run of characters, <c>tag:K</c> matches tag K's value. A filter name the resource does not
/// support is refused, as EC2 does, so a typo in the provisioning code fails a test instead of matching all.
/// </summary>
internal static class FakeEc2Filters
{
    public static bool Match(string call, IReadOnlyList<Ec2Filter> filters, IReadOnlyDictionary<string, string> tags,
        IReadOnlyDictionary<string, IEnumerable<string?>> fields)
    {
        foreach (var filter in filters)
        {
            IEnumerable<string?> have;
            if (filter.Name.StartsWith("tag:", StringComparison.Ordinal))
                have = tags.TryGetValue(filter.Name[4..], out var v) ? [v] : [];
            else if (filter.Name == "tag-key")
                have = tags.Keys;
            else if (!fields.TryGetValue(filter.Name, out have!))
                throw new CloudException(call, "InvalidParameterValue", $"The filter '{filter.Name}' is invalid");
            if (!have.Any(h => h is not null && filter.Values.Any(pattern => Glob(pattern, h)))) return false;
        }
        return true;
    }

    private static bool Glob(string pattern, string value)
    {
        if (!pattern.Contains('*')) return pattern == value;
        var parts = pattern.Split('*');
        if (!value.StartsWith(parts[0], StringComparison.Ordinal) || !value.EndsWith(parts[^1], StringComparison.Ordinal)) return false;
        var at = parts[0].Length;
        foreach (var part in parts[1..^1])
        {
            var found = value.IndexOf(part, at, StringComparison.Ordinal);
            if (found < 0) return false;
            at = found + part.Length;
        }
        return at <= value.Length - parts[^1].Length;
    }
}
