using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>
/// Two system users: the API login user (all clients log in as it; a real shell for ForceCommand, password
/// field '*' so sshd without PAM admits key logins) and the AuthorizedKeysCommand user (reads acl.json only).
/// </summary>
static class ManagerUsers
{
    public static async Task EnsureAsync(ILog log, CancellationToken ct)
    {
        if (!await ExistsAsync(ManagerLayout.ApiUser, ct))
        {
            await Proc.RunAsync("useradd", ["--system", "--create-home", "--home-dir", "/var/lib/futuswarm/home", "--shell", "/bin/sh", ManagerLayout.ApiUser], new ProcOptions { Log = log }, ct);
            await Proc.RunAsync("usermod", ["-p", "*", ManagerLayout.ApiUser], new ProcOptions { Log = log }, ct);
            log.Info($"created the API login user {ManagerLayout.ApiUser}");
        }
        if (!await ExistsAsync(ManagerLayout.KeysUser, ct))
        {
            await Proc.RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ManagerLayout.KeysUser], new ProcOptions { Log = log }, ct);
            log.Info($"created the authorized-keys user {ManagerLayout.KeysUser}");
        }
    }

    static async Task<bool> ExistsAsync(string user, CancellationToken ct) =>
        (await Proc.RunAsync("id", ["-u", user], new ProcOptions { Check = false }, ct)).Ok;
}
