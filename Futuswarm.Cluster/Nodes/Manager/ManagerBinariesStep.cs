using System.Text;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>The manager binaries under the root, replaced whole: unpacked beside the old ones, the fingerprint written
/// last, then swapped by two renames. A running daemon keeps its files until the daemon step restarts it.</summary>
public sealed class ManagerBinariesStep : ManagerStep
{
    public override string Name => "manager-binaries";

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var services = Services(ctx);
        var paths = services.Paths;
        var wanted = services.Bundle.Fingerprint;
        if (await ctx.Node.ReadFileAsync(paths.BinariesFingerprint, ct) is { } have && Encoding.UTF8.GetString(have).Trim() == wanted)
            return Skip("manager binaries up to date");

        var archive = await services.Bundle.Archive(ct);
        var staging = paths.Lib + ".new";
        var old = paths.Lib + ".old";
        var file = Path.Combine(ctx.Spec.WorkDir, "managerd-bundle.tar.gz");
        await ctx.MustAsync(Name, ctx.Node, ["mkdir", "-p", ctx.Spec.WorkDir, Path.GetDirectoryName(paths.Lib)!], ct);
        await ctx.MustAsync(Name, ctx.Node, ["chmod", "0700", ctx.Spec.WorkDir], ct);
        await ctx.Node.WriteFileAsync(file, archive, ManagerFiles.Private, ct);
        try
        {
            await ctx.MustAsync(Name, ctx.Node, ["rm", "-rf", staging, old], ct);
            await ctx.MustAsync(Name, ctx.Node, ["mkdir", "-p", staging], ct);
            await ctx.MustAsync(Name, ctx.Node, ["tar", "-xzf", file, "-C", staging, "--no-same-owner"], ct);
            await ctx.Node.WriteFileAsync(Path.Combine(staging, ".source-fingerprint"), Encoding.UTF8.GetBytes(wanted), ManagerFiles.Readable, ct);
            if ((await ctx.Node.RunAsync(["test", "-e", paths.Lib], null, ct)).Ok)
                await ctx.MustAsync(Name, ctx.Node, ["mv", paths.Lib, old], ct);
            await ctx.MustAsync(Name, ctx.Node, ["mv", staging, paths.Lib], ct);
            await ctx.MustAsync(Name, ctx.Node, ["rm", "-rf", old], ct);
        }
        finally
        {
            await ctx.Node.RunAsync(["rm", "-f", file], null, CancellationToken.None);
        }
        return Did($"installed the manager binaries in {paths.Lib} ({archive.Length / 1024} KiB bundle)");
    }
}
