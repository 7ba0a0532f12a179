using System.Text.Json;
using System.Text.Json.Nodes;

namespace Futuswarm.IntegrationTests;

/// <summary>A copy of the local profile in a temporary profiles folder, with one thing changed.</summary>
public sealed class ProfileVariant : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "fsw-profiles-" + Guid.NewGuid().ToString("N")[..8]);
    public const string Name = "variant";

    public ProfileVariant(Action<JsonObject>? change = null, string? knownHosts = null)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(TestCluster.ProfilesDirectory, "local.json")))!.AsObject();
        var original = Path.GetFullPath(profile["knownHostsFile"]!.GetValue<string>(), TestCluster.ProfilesDirectory);
        File.WriteAllText(Path.Combine(Directory, "variant.known_hosts"), knownHosts ?? File.ReadAllText(original));
        profile["knownHostsFile"] = "variant.known_hosts";
        change?.Invoke(profile);
        File.WriteAllText(Path.Combine(Directory, Name + ".json"), profile.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public string[] Args => [$"-p:SwarmProfilesDirectory={Directory}", $"-p:SwarmCluster={Name}"];

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
