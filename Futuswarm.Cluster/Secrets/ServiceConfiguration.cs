namespace Futuswarm.Cluster.Secrets;

/// <summary>One secret version a service uses: which stored record, and what the listing shows of it (never its value).</summary>
public sealed record SecretPin
{
    /// <summary>The ULID of services/&lt;svc&gt;/secrets/&lt;name&gt;/&lt;version&gt;.json: unique, time-ordered, never reused.</summary>
    public required string Version { get; init; }
    public required DateTimeOffset SetAt { get; init; }
    public required string SetBy { get; init; }
    /// <summary>HMAC of the value under the service's fingerprint key (see Protocol/SecretFingerprint).</summary>
    public required string Fingerprint { get; init; }
}

/// <summary>
/// services/&lt;svc&gt;/config.json: what the service's next release uses besides its project's spec: configuration set on
/// the cluster (overriding the project's SwarmEnvironmentVariable values of the same name) and the pinned secret versions.
/// Written when a release carrying it is done, or directly when the service does not run.
/// </summary>
public sealed record ServiceConfiguration
{
    public SortedDictionary<string, string> Environment { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SecretPin> Secrets { get; init; } = new(StringComparer.Ordinal);

    public static ServiceConfiguration Empty => new();

    /// <summary>The environment a task gets: the project's values, overridden by the cluster's.</summary>
    public SortedDictionary<string, string> EffectiveEnvironment(IReadOnlyDictionary<string, string> project)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in project) env[k] = v;
        foreach (var (k, v) in Environment) env[k] = v;
        return env;
    }

    public bool SameAs(ServiceConfiguration other) =>
        Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal).SequenceEqual(other.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        && SecretVersions().SequenceEqual(other.SecretVersions());

    /// <summary>name -> version, what decides the spec hash.</summary>
    public SortedDictionary<string, string> SecretVersions() =>
        new(Secrets.ToDictionary(kv => kv.Key, kv => kv.Value.Version, StringComparer.Ordinal), StringComparer.Ordinal);
}
