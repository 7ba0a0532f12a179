using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Provisioning.Operations;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The developers' profile "local" (DESIGN.md section 5): no secrets, the API host key pinned in its own known_hosts.</summary>
sealed record LocalProfile(string KnownHostsPath, string HostKeyAlias, string? IdentityFile)
{
    public static string Directory => Futuswarm.Protocol.ProfileLocation.DefaultDirectory();

    public static async Task<LocalProfile> WriteAsync(LocalInfra infra, string hostKey, AdminKey admin, ILog log)
    {
        var profile = new DeveloperProfile("local", $"127.0.0.1:{ManagerLayout.ApiPort}", ManagerLayout.ApiUser, hostKey,
            admin.IdentityFile, infra.RegistryAddress, infra.BaseImage, "localhost");
        foreach (var path in await profile.WriteAsync(Directory)) log.Info($"wrote {path}");
        return new LocalProfile(Path.Combine(Directory, profile.KnownHostsFileName), profile.HostKeyAlias, admin.IdentityFile);
    }
}
