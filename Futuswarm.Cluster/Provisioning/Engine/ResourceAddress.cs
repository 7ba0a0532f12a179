namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// Names one resource of the cluster in plans and logs: its kind and, when the kind has several, which one
/// (<c>vpc</c>, <c>subnet[eu-north-1a]</c>, <c>security-group[nodes]</c>). The role tag is derived from it.
/// </summary>
public readonly record struct ResourceAddress(string Kind, string? Name = null)
{
    public override string ToString() => Name is null ? Kind : $"{Kind}[{Name}]";

    /// <summary>The value of the <c>futuswarm:role</c> tag that finds this resource among the cluster's.</summary>
    public string Role => ToString();

    /// <summary>Reads a role tag back (<c>subnet[eu-north-1a]</c>); null when it is not one of ours.</summary>
    public static ResourceAddress? Parse(string? role)
    {
        if (string.IsNullOrEmpty(role)) return null;
        var open = role.IndexOf('[');
        if (open < 0) return new ResourceAddress(role);
        if (open == 0 || !role.EndsWith(']')) return null;
        return new ResourceAddress(role[..open], role[(open + 1)..^1]);
    }
}
