namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>Two system users: the API login user (every client logs in as it; a real shell for ForceCommand, password
/// field '*' so sshd without PAM admits key logins) and the AuthorizedKeysCommand user (reads acl.json only).</summary>
public sealed class ManagerUsersStep : ManagerStep
{
    public override string Name => "manager-users";

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
