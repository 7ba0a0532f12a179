using System.Globalization;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Who listens where, read from /proc (no ss/lsof dependency): TCP listeners by port, the owner of a
/// unix socket, and process ancestry.</summary>
static class ProcNet
{
    /// <summary>Socket inodes of TCP (v4 and v6) listeners on <paramref name="port"/>.</summary>
    public static List<long> TcpListenerInodes(int port)
    {
        var inodes = new List<long>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[3] != "0A") continue; // 0A = LISTEN
                var local = f[1];
                if (int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber) == port)
                    inodes.Add(long.Parse(f[9], CultureInfo.InvariantCulture));
            }
        }
        return inodes;
    }

    /// <summary>Inode of the listening unix socket bound to <paramref name="path"/>.</summary>
    public static long? UnixListenerInode(string path)
    {
        foreach (var line in File.ReadLines("/proc/net/unix").Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 8 && f[7] == path) return long.Parse(f[6], CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>Pid holding each of the inodes (scans /proc/*/fd once).</summary>
    public static Dictionary<long, int> Owners(IReadOnlyCollection<long> inodes)
    {
        var wanted = inodes.ToDictionary(i => $"socket:[{i}]", i => i);
        var owners = new Dictionary<long, int>();
        if (wanted.Count == 0) return owners;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                    if (new FileInfo(fd).LinkTarget is { } t && wanted.TryGetValue(t, out var inode))
                        owners.TryAdd(inode, pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // process went away
            if (owners.Count == wanted.Count) break;
        }
        return owners;
    }

    public static int? ParentPid(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(rest[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException) { return null; }
    }

    public static string Name(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return "?"; }
    }

    public static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); }
        catch (IOException) { return ""; }
    }

    /// <summary>The pid and its ancestors up to init.</summary>
    public static IEnumerable<int> SelfAndAncestors(int pid)
    {
        for (int? p = pid; p is > 1; p = ParentPid(p.Value)) yield return p.Value;
    }
}
