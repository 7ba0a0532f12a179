using System.Text.Json;
using System.Text.Json.Serialization;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>
/// A developers' cluster profile (DESIGN.md section 5), as LocalCluster and ProvisionCluster write it: where the API
/// is, its host key pinned in the profile's own known_hosts file, the registry and the base domain. No secrets.
/// Files are rewritten only when their content changes, so a re-run touches nothing.
/// </summary>
public sealed record DeveloperProfile(
    string Name,
    string Manager,
    string User,
    string HostKey,
    string? IdentityFile,
    string Registry,
    string? BaseImage,
    string BaseDomain)
{
    public string HostKeyAlias => $"futuswarm-{Name}";
    public string KnownHostsFileName => $"{Name}.known_hosts";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Writes <c>&lt;name&gt;.json</c> and <c>&lt;name&gt;.known_hosts</c>; returns the paths it changed.</summary>
    public async Task<IReadOnlyList<string>> WriteAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var parts = HostKey.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) throw new ArgumentException("the host key is not an OpenSSH public key (\"type base64 [comment]\")", nameof(HostKey));
        var changed = new List<string>();
        var knownHosts = Path.Combine(directory, KnownHostsFileName);
        if (await WriteIfChangedAsync(knownHosts, $"{HostKeyAlias} {parts[0]} {parts[1]}\n")) changed.Add(knownHosts);
        var profile = new Dictionary<string, object?>
        {
            ["name"] = Name,
            ["manager"] = Manager,
            ["user"] = User,
            ["knownHostsFile"] = KnownHostsFileName,
            ["hostKeyAlias"] = HostKeyAlias,
            ["identityFile"] = IdentityFile,
            ["registry"] = Registry,
            ["baseImage"] = BaseImage,
            ["baseDomain"] = BaseDomain,
        };
        var path = Path.Combine(directory, Name + ".json");
        if (await WriteIfChangedAsync(path, JsonSerializer.Serialize(profile, Json) + "\n")) changed.Add(path);
        return changed;
    }

    private static async Task<bool> WriteIfChangedAsync(string path, string content)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path) == content) return false;
        await File.WriteAllTextAsync(path, content);
        return true;
    }
}
