using System.Text.Json;
using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The developers' profile "local" (DESIGN.md section 5): no secrets, the API host key pinned in its own known_hosts.</summary>
sealed record LocalProfile(string KnownHostsPath, string HostKeyAlias, string? IdentityFile)
{
    public static string Directory => Futuswarm.Protocol.ProfileLocation.DefaultDirectory();

    public static async Task<LocalProfile> WriteAsync(LocalInfra infra, string hostKey, AdminKey admin, ILog log)
    {
        System.IO.Directory.CreateDirectory(Directory);
        const string alias = "futuswarm-local";
        var knownHosts = Path.Combine(Directory, "local.known_hosts");
        var parts = hostKey.Split(' ');
        await WriteIfChangedAsync(knownHosts, $"{alias} {parts[0]} {parts[1]}\n", log);
        var profile = new Dictionary<string, object?>
        {
            ["name"] = "local",
            ["manager"] = $"127.0.0.1:{ManagerLayout.ApiPort}",
            ["user"] = ManagerLayout.ApiUser,
            ["knownHostsFile"] = "local.known_hosts",
            ["hostKeyAlias"] = alias,
            ["identityFile"] = admin.IdentityFile,
            ["registry"] = infra.RegistryAddress,
            ["baseImage"] = infra.BaseImage,
            ["baseDomain"] = "localhost",
        };
        var json = JsonSerializer.Serialize(profile, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }) + "\n";
        await WriteIfChangedAsync(Path.Combine(Directory, "local.json"), json, log);
        return new LocalProfile(knownHosts, alias, admin.IdentityFile);
    }

    static async Task WriteIfChangedAsync(string path, string content, ILog log)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path) == content) return;
        await File.WriteAllTextAsync(path, content);
        log.Info($"wrote {path}");
    }
}
