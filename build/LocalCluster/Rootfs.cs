using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Futuswarm.Build.LocalCluster;

/// <summary>An image filesystem assembled from host files, written as one tar for <c>docker import</c>.
/// Host paths keep their path and their symlinks (so /lib -&gt; usr/lib and libfoo.so.1 -&gt; libfoo.so.1.2
/// stay as on Debian). Timestamps are fixed, so the same inputs give the same layer digest.</summary>
sealed class Rootfs
{
    abstract record Entry(int Mode, int Uid, int Gid);
    sealed record DirEntry(int Mode, int Uid, int Gid) : Entry(Mode, Uid, Gid);
    sealed record LinkEntry(string Target) : Entry(0b111_111_111, 0, 0);
    sealed record HostFileEntry(string Source, int Mode, long Size, long MTime) : Entry(Mode, 0, 0);
    sealed record TextEntry(byte[] Content, int Mode, int Uid, int Gid) : Entry(Mode, Uid, Gid);

    static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    readonly SortedDictionary<string, Entry> entries = new(StringComparer.Ordinal); // "usr/bin/x", no leading '/'

    public int Count => entries.Count;

    public void Dir(string path, int mode = 0b111_101_101, int uid = 0, int gid = 0) => Put(path, new DirEntry(mode, uid, gid));

    public void Symlink(string path, string target) => Put(path, new LinkEntry(target));

    public void Text(string path, string content, int mode = 0b110_100_100, int uid = 0, int gid = 0) =>
        Put(path, new TextEntry(Encoding.UTF8.GetBytes(content), mode, uid, gid));

    /// <summary>Adds a host file or directory (not its contents) at the same path, recreating every symlink met on
    /// the way: for /lib/x86_64-linux-gnu/libz.so.1 that is "lib", "libz.so.1" and the real file.</summary>
    public void HostPath(string hostPath, int depth = 0)
    {
        if (depth > 40) throw new IOException($"Too many levels of symlinks at {hostPath}.");
        var parts = Path.GetFullPath(hostPath).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "/";
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } link)
            {
                Symlink(next, link);
                var resolved = Path.GetFullPath(link.StartsWith('/') ? link : Path.Combine(current, link));
                HostPath(Path.Combine([resolved, .. parts[(i + 1)..]]), depth + 1);
                return;
            }
            if (i == parts.Length - 1)
            {
                if (Directory.Exists(next)) Dir(next, (int)File.GetUnixFileMode(next));
                else if (info.Exists) Put(next, HostFile(info));
                else throw new FileNotFoundException($"{next} does not exist on this host.", next);
            }
            current = next;
        }
    }

    /// <summary>Adds a host file, or a directory with everything below it, at <paramref name="imagePath"/>.
    /// Symlinks inside a directory stay symlinks; the host path itself is followed.</summary>
    public void HostAs(string hostPath, string imagePath)
    {
        var real = new FileInfo(hostPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? hostPath;
        if (!Directory.Exists(real))
        {
            Put(imagePath, HostFile(new FileInfo(real)));
            return;
        }
        Dir(imagePath, (int)File.GetUnixFileMode(real));
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var path in Directory.EnumerateFileSystemEntries(real, "*", options))
        {
            var to = imagePath.TrimEnd('/') + "/" + Path.GetRelativePath(real, path);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } link) Symlink(to, link);
            else if (Directory.Exists(path)) Dir(to, (int)File.GetUnixFileMode(path));
            else Put(to, HostFile(info));
        }
    }

    /// <summary>Hash of everything that goes into the tar (host files by size and mtime, not content: fast enough
    /// to run on every LocalCluster, and any package update changes them) plus <paramref name="extra"/>.</summary>
    public string Fingerprint(IEnumerable<string> extra)
    {
        var sb = new StringBuilder();
        foreach (var (path, e) in entries)
        {
            sb.Append(path).Append('|').Append(e.Mode).Append('|').Append(e.Uid).Append(':').Append(e.Gid).Append('|');
            sb.Append(e switch
            {
                DirEntry => "d",
                LinkEntry l => "l " + l.Target,
                HostFileEntry f => $"f {f.Source} {f.Size} {f.MTime}",
                TextEntry t => "t " + Convert.ToHexStringLower(SHA256.HashData(t.Content)),
                _ => "?",
            }).Append('\n');
        }
        foreach (var x in extra) sb.Append("x ").Append(x).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
    }

    public async Task WriteTarAsync(string file, CancellationToken ct)
    {
        await using var stream = File.Create(file);
        await using var tar = new TarWriter(stream, TarEntryFormat.Gnu, leaveOpen: false);
        foreach (var (path, e) in entries)
        {
            var type = e switch
            {
                DirEntry => TarEntryType.Directory,
                LinkEntry => TarEntryType.SymbolicLink,
                _ => TarEntryType.RegularFile,
            };
            var entry = new GnuTarEntry(type, e is DirEntry ? path + "/" : path)
            {
                Mode = (UnixFileMode)e.Mode, Uid = e.Uid, Gid = e.Gid,
                ModificationTime = Epoch, AccessTime = Epoch, ChangeTime = Epoch,
            };
            if (e is LinkEntry l) entry.LinkName = l.Target;
            Stream? data = e switch
            {
                HostFileEntry f => File.OpenRead(f.Source),
                TextEntry t => new MemoryStream(t.Content),
                _ => null,
            };
            await using (data)
            {
                if (data is not null) entry.DataStream = data;
                await tar.WriteEntryAsync(entry, ct);
            }
        }
    }

    static HostFileEntry HostFile(FileInfo f) =>
        new(f.FullName, (int)f.UnixFileMode, f.Length, f.LastWriteTimeUtc.Ticks);

    void Put(string path, Entry entry)
    {
        var key = path.Trim('/');
        if (key.Length == 0) return;
        for (var i = key.IndexOf('/'); i > 0; i = key.IndexOf('/', i + 1))
        {
            var parent = key[..i];
            if (!entries.TryGetValue(parent, out var p)) entries[parent] = new DirEntry(0b111_101_101, 0, 0);
            else if (p is not DirEntry)
                throw new InvalidOperationException($"/{parent} is not a directory in the image (adding /{key}).");
        }
        // A directory seen twice keeps the explicit mode/owner (e.g. /tmp 1777 over an implied 0755 parent).
        if (entry is DirEntry && entries.TryGetValue(key, out var existing) && existing is DirEntry && entry == new DirEntry(0b111_101_101, 0, 0))
            return;
        entries[key] = entry;
    }
}
