using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>Two system users: the API login user (every client logs in as it; a real shell for ForceCommand, password
/// field '*' so sshd without PAM admits key logins) and the AuthorizedKeysCommand user (reads acl.json only).</summary>
public sealed class ManagerUsersStep : ManagerStep
{
    public override string Name => "manager-users";

    /// <summary>The same useradd/usermod as over SSH, each only when <c>id</c> does not know the user. $1 API user,
    /// $2 its home, $3 keys user.</summary>
    const string FirstBoot =
        "id -u \"$1\" >/dev/null 2>&1 || { useradd --system --create-home --home-dir \"$2\" --shell /bin/sh \"$1\" && usermod -p '*' \"$1\"; } || exit 1; " +
        "id -u \"$3\" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin \"$3\"";

    public override void Render(NodeSpec spec, CloudConfig config) =>
        config.Run("sh", "-c", FirstBoot, "sh", ManagerPaths.ApiUser, ManagerPaths.ApiUserHome, ManagerPaths.KeysUser);

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var made = new List<string>();
        if (!(await ctx.Node.RunAsync(["id", "-u", ManagerPaths.ApiUser], null, ct)).Ok)
        {
            await ctx.MustAsync(Name, ctx.Node, ["useradd", "--system", "--create-home", "--home-dir", ManagerPaths.ApiUserHome, "--shell", "/bin/sh", ManagerPaths.ApiUser], ct);
            await ctx.MustAsync(Name, ctx.Node, ["usermod", "-p", "*", ManagerPaths.ApiUser], ct);
            made.Add(ManagerPaths.ApiUser);
        }
        if (!(await ctx.Node.RunAsync(["id", "-u", ManagerPaths.KeysUser], null, ct)).Ok)
        {
            await ctx.MustAsync(Name, ctx.Node, ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ManagerPaths.KeysUser], ct);
            made.Add(ManagerPaths.KeysUser);
        }
        return made.Count == 0 ? Skip($"users {ManagerPaths.ApiUser} and {ManagerPaths.KeysUser} exist") : Did($"created {string.Join(" and ", made)}");
    }
}
