namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// A cloud API refused a call. <see cref="Code"/> is the API's own error code (<c>DependencyViolation</c>,
/// <c>InvalidVpcID.NotFound</c>), which decides retries; the real clients and the fake cloud throw the same.
/// </summary>
public sealed class CloudException(string call, string code, string message) : Exception($"{call}: {code}: {message}")
{
    public string Call { get; } = call;
    public string Code { get; } = code;
    public string Detail { get; } = message;

    /// <summary>An id the API just handed out that another endpoint does not know yet.</summary>
    public bool IsNotFound => Code.EndsWith(".NotFound", StringComparison.Ordinal);
}
