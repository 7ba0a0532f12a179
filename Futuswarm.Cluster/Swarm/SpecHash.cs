using System.Security.Cryptography;
using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Swarm;

/// <summary>
/// Decides whether a deploy changes the service: a hash of the image, the settings that go into the spec (with the
/// effective environment) and the secret versions. Bump <see cref="BuilderVersion"/> when <see cref="ServiceSpecBuilder"/>
/// changes what it makes from the same input.
/// </summary>
public static class SpecHash
{
    public const int BuilderVersion = 1;

    public static string Compute(string image, ServiceSettings settings, IReadOnlyDictionary<string, string>? secretVersions = null)
    {
        // Ordinal order whatever comparer the dictionary came with (JSON gives it the culture's).
        var canonical = settings with { Environment = new SortedDictionary<string, string>(settings.Environment, StringComparer.Ordinal) };
        // Without secrets the document is what it was before secrets existed, so upgrading the daemon redeploys nothing.
        var secrets = secretVersions is { Count: > 0 } ? new SortedDictionary<string, string>(secretVersions.ToDictionary(), StringComparer.Ordinal) : null;
        var doc = JsonSerializer.SerializeToUtf8Bytes(new { v = BuilderVersion, image, settings = canonical, secrets }, Wire.Json);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(doc));
    }

    /// <summary>What makes a task, without the replica count: scaling must not restart tasks.</summary>
    public static string Template(string image, ServiceSettings settings, IReadOnlyDictionary<string, string>? secretVersions = null) =>
        Compute(image, settings with { Replicas = 1 }, secretVersions);
}
