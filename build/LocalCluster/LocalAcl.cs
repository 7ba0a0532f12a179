using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.Config;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Registers the admin key (user "admin") and each --user's key in acl.json, adding only what is missing.
/// acl.json is written through the daemon's own store (the bucket, and its mirror that sshd reads).</summary>
static class LocalAcl
{
    public static async Task SeedAsync(ManagerLayout layout, DaemonConfig config, string adminKey, IReadOnlyList<LocalUser> users, ILog log, CancellationToken ct)
    {
        if (SshKeys.Parse(adminKey) is null) throw new BuildFailure($"FSW6009: the admin key is not an OpenSSH public key.");
        var gid = Futuswarm.Cluster.State.Native.GroupId(ManagerLayout.KeysUser);
        var store = StateFactory.CreateStore(config, gid is { } g ? new Dictionary<string, int> { [AclRepository.Key] = g } : null, S3rver.Credentials);
        var repo = new AclRepository(store);
        var acl = await repo.LoadAsync(ct);
        var changed = Add(acl, "admin", adminKey, admin: true, log);
        foreach (var u in users)
        {
            if (SshKeys.Parse(u.PublicKey) is null) throw new BuildFailure($"FSW6009: --user {u.Name}: the key is not an OpenSSH public key (ssh-ed25519 AAAA...).");
            changed |= Add(acl, u.Name, u.PublicKey, admin: false, log);
        }
        if (changed || !File.Exists(layout.Acl)) await repo.SaveAsync(acl, ct);
    }

    static bool Add(AclDocument acl, string name, string key, bool admin, ILog log)
    {
        var user = acl.Users.FirstOrDefault(u => u.Name == name);
        if (user is not null && user.Keys.Any(k => SshKeys.SameKey(k, key))) return false;
        if (AclRepository.FindByKey(acl, key) is { } other)
            throw new BuildFailure($"FSW6009: that key already belongs to user '{other.Name}'; one key identifies one user.");
        if (user is null) acl.Users.Add(new AclUser { Name = name, Admin = admin, Keys = [key] });
        else user.Keys.Add(key);
        log.Info($"registered a key for {(admin ? "admin " : "user ")}{name} ({SshKeys.Fingerprint(key)})");
        return true;
    }
}
