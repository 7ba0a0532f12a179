using System.Text;
using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>The manager binaries under the root, replaced whole: unpacked beside the old ones, the fingerprint written
/// last, then swapped by two renames. A running daemon keeps its files until the daemon step restarts it.</summary>
public sealed class ManagerBinariesStep : ManagerStep
{
    public override string Name => "manager-binaries";

    /// <summary>The SSH form's install with the bundle copied from the state bucket: skipped when the fingerprint is
    /// there; unpacked beside, fingerprint last, swapped by two renames; the archive goes on any exit.
    /// $1 bucket, $2 key, $3 region, $4 archive file, $5 lib directory, $6 fingerprint.</summary>
    public const string FirstBoot = """
        set -eu
        umask 022
        [ "$(cat "$5/.source-fingerprint" 2>/dev/null || true)" = "$6" ] && exit 0
        work=$(dirname "$4")
        mkdir -p "$work" "$(dirname "$5")"
        chmod 0700 "$work"
        trap 'rm -f "$4"' EXIT
        aws s3 cp "s3://$1/$2" "$4" --region "$3" --only-show-errors
        rm -rf "$5.new" "$5.old"
        mkdir -p "$5.new"
        tar -xzf "$4" -C "$5.new" --no-same-owner
        printf '%s' "$6" > "$5.new/.source-fingerprint"
        if [ -e "$5" ]; then mv "$5" "$5.old"; fi
        mv "$5.new" "$5"
        rm -rf "$5.old"
        """;

    public static string ArchiveFile(NodeSpec spec) => Path.Combine(spec.WorkDir, "managerd-bundle.tar.gz");

    public override void Render(NodeSpec spec, CloudConfig config)
    {
        var s = spec.ManagerServices!;
        var o = s.BundleObject!; // CloudInitRenderer refuses manager services without it
        config.Run("sh", "-c", FirstBoot, "sh", o.Bucket, o.Key, o.Region, ArchiveFile(spec), s.Paths.Lib, s.Bundle.Fingerprint);
    }

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
        var file = ArchiveFile(ctx.Spec);
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
