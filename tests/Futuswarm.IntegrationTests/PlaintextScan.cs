using System.IO.Compression;
using System.Text;

namespace Futuswarm.IntegrationTests;

/// <summary>Looks for secret values (as UTF-8 and as base64) in files: the store, logs, binlogs.</summary>
public static class PlaintextScan
{
    private const long MaxFileBytes = 64 * 1024 * 1024;

    /// <summary>Every file under <paramref name="root"/> (minus skipped folder names) that holds one of the values.</summary>
    public static List<string> Files(string root, IReadOnlyList<string> values, params string[] skipFolders)
    {
        var hits = new List<string>();
        var needles = Needles(values);
        foreach (var file in Enumerate(root, skipFolders))
        {
            byte[] bytes;
            try
            {
                if (new FileInfo(file).Length > MaxFileBytes) continue;
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (needles.Any(n => bytes.AsSpan().IndexOf(n) >= 0)) hits.Add(file);
        }
        return hits;
    }

    /// <summary>A binlog is a gzip stream; its strings are plain inside it.</summary>
    public static bool BinlogContains(string binlog, IReadOnlyList<string> values)
    {
        using var gz = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress);
        using var all = new MemoryStream();
        gz.CopyTo(all);
        var bytes = all.ToArray();
        return Needles(values).Any(n => bytes.AsSpan().IndexOf(n) >= 0)
            // Strings in a binlog may also be UTF-16 in older formats.
            || values.Any(v => bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(v)) >= 0);
    }

    public static int BinlogLength(string binlog)
    {
        using var gz = new GZipStream(File.OpenRead(binlog), CompressionMode.Decompress);
        using var all = new MemoryStream();
        gz.CopyTo(all);
        return (int)all.Length;
    }

    private static List<byte[]> Needles(IReadOnlyList<string> values) =>
        values.SelectMany(v => new[] { Encoding.UTF8.GetBytes(v), Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(v))) }).ToList();

    private static IEnumerable<string> Enumerate(string root, string[] skip)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            List<FileSystemInfo> entries;
            try { entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var entry in entries)
            {
                if (entry.LinkTarget is not null) continue;
                if (entry is DirectoryInfo d) { if (!skip.Contains(d.Name)) pending.Push(d.FullName); }
                // Sockets and pipes have no length; reading a pipe would block.
                else if (entry is FileInfo { Length: > 0 } f) yield return f.FullName;
            }
        }
    }
}
