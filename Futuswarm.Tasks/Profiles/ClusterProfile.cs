using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Tasks.Profiles;

/// <summary>
/// A cluster profile (DESIGN.md section 5), written by LocalCluster or ProvisionCluster: where the manager's
/// API is, its pinned host key, the registry, base image and base domain. No secrets.
/// </summary>
public sealed record ClusterProfile
{
    public required string Name { get; init; }
    /// <summary>host:port of the API sshd.</summary>
    public required string Manager { get; init; }
    public string User { get; init; } = "futuswarm";
    /// <summary>The known_hosts file (absolute, or relative to the profile) holding the cluster's API host key under <see cref="HostKeyAlias"/>.</summary>
    public required string KnownHostsFile { get; init; }
    public required string HostKeyAlias { get; init; }
    public string? IdentityFile { get; init; }
    public required string Registry { get; init; }
    public string RepositoryPrefix { get; init; } = "";
    public string? BaseImage { get; init; }
    public required string BaseDomain { get; init; }

    public static string DefaultDirectory() => ProfileLocation.DefaultDirectory();

    public static IReadOnlyList<string> List(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    public static ClusterProfile Load(string directory, string name)
    {
        directory = Path.GetFullPath(directory);
        var path = Path.Combine(directory, name + ".json");
        if (!File.Exists(path))
        {
            var found = List(directory);
            throw new FswException(ErrorCodes.ProfileNotFound,
                $"There is no cluster profile '{name}' in {directory}. Profiles found: {(found.Count == 0 ? "none (run ./build.sh LocalCluster, or get a profile from your ops)" : string.Join(", ", found))}. Set SwarmCluster to one of them.");
        }
        try
        {
            var profile = JsonSerializer.Deserialize<ClusterProfile>(File.ReadAllBytes(path), Wire.LenientJson)
                ?? throw new FswException(ErrorCodes.ProfileInvalid, $"The cluster profile {path} is empty.");
            return profile with { KnownHostsFile = Path.GetFullPath(profile.KnownHostsFile, directory) };
        }
        catch (JsonException e)
        {
            throw new FswException(ErrorCodes.ProfileInvalid, $"The cluster profile {path} is not valid: {e.Message}. Write it again with ./build.sh LocalCluster or from your ops.");
        }
    }
}
