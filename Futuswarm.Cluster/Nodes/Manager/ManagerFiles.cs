using System.Security.Cryptography;
using System.Text;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>Check-then-write of the manager's files on a node, and the revision stamps that decide restarts.</summary>
static class ManagerFiles
{
    public const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode Executable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes the file unless it holds these bytes with this mode already; true when it wrote.</summary>
    public static async Task<bool> EnsureAsync(NodeContext ctx, string step, string path, string content, UnixFileMode mode, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var current = await ctx.Node.ReadFileAsync(path, ct);
        if (current is not null && current.AsSpan().SequenceEqual(bytes) && await ModeAsync(ctx, path, ct) == mode) return false;
        await ctx.MustAsync(step, ctx.Node, ["mkdir", "-p", Path.GetDirectoryName(path)!], ct);
        await ctx.Node.WriteFileAsync(path, bytes, mode, ct);
        return true;
    }

    static async Task<UnixFileMode?> ModeAsync(NodeContext ctx, string path, CancellationToken ct)
    {
        var r = await ctx.Node.RunAsync(["stat", "-c", "%a", path], null, ct);
        return r.Ok ? (UnixFileMode)Convert.ToInt32(r.StdOut.Trim(), 8) : null;
    }

    /// <summary>A hash of what a program was started with: the revision file holds it while that start stands.</summary>
    public static string Revision(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\0", parts))));

    public static async Task<bool> RevisionIsAsync(NodeContext ctx, string path, string revision, CancellationToken ct) =>
        await ctx.Node.ReadFileAsync(path, ct) is { } b && Encoding.UTF8.GetString(b) == revision;

    public static Task WriteRevisionAsync(NodeContext ctx, string path, string revision, CancellationToken ct) =>
        ctx.Node.WriteFileAsync(path, Encoding.UTF8.GetBytes(revision), Private, ct);
}
