using System.Text;
using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>The API sshd's host key. On a cluster it is the one sealed in the store, so every manager (replacements
/// too) presents the key developers pinned; the private half is opened only when the node lacks it and goes
/// straight into a 0600 file. Without a key from the store (the local cluster) one is made on the node once.</summary>
public sealed class ApiHostKeyStep : ManagerStep
{
    public override string Name => "api-host-key";

    /// <summary>The verb of the manager binaries that installs the cluster's key from the store on the node itself
    /// (the manager's role may open it); it skips when the node has the key.</summary>
    public const string InstallVerb = "install-api-host-key";

    /// <summary>Without a key from the store: made on the node once. $1 private key file, $2 comment.</summary>
    const string GenerateOnce = "test -s \"$1\" && test -s \"$1.pub\" && exit 0; mkdir -p \"$(dirname \"$1\")\" && rm -f \"$1\" \"$1.pub\" && ssh-keygen -q -t ed25519 -N '' -C \"$2\" -f \"$1\"";

    public override void Render(NodeSpec spec, CloudConfig config)
    {
        var s = spec.ManagerServices!;
        if (s.HostKey is null) config.Run("sh", "-c", GenerateOnce, "sh", s.Paths.HostKey, s.HostKeyComment);
        else config.Run([.. s.Launcher, InstallVerb, "--config", s.Paths.DaemonConfig, "--key", s.Paths.HostKey]);
    }

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var services = Services(ctx);
        var paths = services.Paths;
        var installed = await ctx.Node.ReadFileAsync(paths.HostKeyPublic, ct) is { } pub ? Encoding.UTF8.GetString(pub).Trim() : null;
        var hasPrivate = (await ctx.Node.RunAsync(["test", "-s", paths.HostKey], null, ct)).Ok;
        await ctx.MustAsync(Name, ctx.Node, ["mkdir", "-p", paths.Ssh], ct);

        if (services.HostKey is not { } source)
        {
            if (installed is not null && hasPrivate) return Skip("API host key present");
            await ctx.MustAsync(Name, ctx.Node, ["rm", "-f", paths.HostKey, paths.HostKeyPublic], ct);
            await ctx.MustAsync(Name, ctx.Node, ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", services.HostKeyComment, "-f", paths.HostKey], ct);
            return Did("generated the API host key");
        }

        if (hasPrivate && installed is not null && SameKey(installed, source.PublicKey)) return Skip("API host key is the cluster's");
        var privateKey = await source.OpenPrivateKey(ct);
        try
        {
            await ctx.Node.WriteFileAsync(paths.HostKey, privateKey, ManagerFiles.Private, ct);
        }
        finally { Array.Clear(privateKey); }
        await ctx.Node.WriteFileAsync(paths.HostKeyPublic, Encoding.UTF8.GetBytes(source.PublicKey + "\n"), ManagerFiles.Readable, ct);
        // The same public half without its private half is a missing key, not a different one.
        return Did(installed is not null && !SameKey(installed, source.PublicKey) ? "replaced a different API host key with the cluster's" : "installed the cluster's API host key");
    }

    /// <summary>Type and key material; the comment may differ.</summary>
    static bool SameKey(string a, string b) =>
        string.Join(' ', a.Split(' ').Take(2)) == string.Join(' ', b.Split(' ').Take(2));
}
