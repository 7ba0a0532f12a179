using System.Runtime.InteropServices;
using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The common base of our images, copied from this host (no hub, no mmdebstrap): the shared libraries
/// the given executables need (as ldd reports them), busybox-static as /bin/sh, the CA bundle, and
/// passwd/group with <c>app</c> uid/gid 1654 as in Microsoft's images.</summary>
static class GlibcRootfs
{
    public const int AppUid = 1654;

    static string MultiarchDir => "/usr/lib/" + RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64-linux-gnu",
        Architecture.Arm64 => "aarch64-linux-gnu",
        var a => throw new BuildFailure($"FSW6006: no image recipe for {a} hosts."),
    };

    /// <param name="elfs">Executables and libraries whose ldd dependencies are copied (they themselves are not).</param>
    /// <param name="dlopened">Library file names loaded with dlopen (ldd cannot see them), copied with their dependencies.</param>
    public static async Task<Rootfs> CreateAsync(IEnumerable<string> elfs, IEnumerable<string> dlopened, ILog log, CancellationToken ct)
    {
        var fs = new Rootfs();
        foreach (var d in new[] { "usr/bin", "usr/sbin", "usr/lib", "etc", "app" }) fs.Dir(d);
        fs.Symlink("bin", "usr/bin");
        fs.Symlink("sbin", "usr/sbin");
        fs.Dir("tmp", 0b1_111_111_111); // 1777
        fs.Dir("root", 0b111_000_000);
        fs.Dir("home/app", 0b111_101_000, AppUid, AppUid);

        var extra = dlopened.Select(name => Path.Combine(MultiarchDir, name)).ToList();
        foreach (var lib in extra) fs.HostPath(lib);
        foreach (var lib in await LddAsync([.. elfs, .. extra], log, ct)) fs.HostPath(lib);

        fs.HostPath("/bin/busybox"); // static: no libraries
        fs.Symlink("usr/bin/sh", "busybox");
        fs.HostPath("/etc/ssl/certs/ca-certificates.crt");
        fs.HostPath("/usr/lib/ssl/cert.pem");  // OpenSSL's default file ...
        fs.HostPath("/usr/lib/ssl/certs");     // ... and directory, both pointing into /etc/ssl/certs
        fs.Text("etc/passwd", $"root:x:0:0:root:/root:/bin/sh\napp:x:{AppUid}:{AppUid}:app:/home/app:/bin/sh\n");
        fs.Text("etc/group", $"root:x:0:\napp:x:{AppUid}:\n");
        fs.Text("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
        return fs;
    }

    /// <summary>ICU's file names on this host (libicuuc.so.72 ...): .NET dlopens whichever major version exists.</summary>
    public static IEnumerable<string> IcuLibraries()
    {
        var uc = Directory.GetFiles(MultiarchDir, "libicuuc.so.*").Select(Path.GetFileName)
            .FirstOrDefault(n => n!.Count(c => c == '.') == 2)
            ?? throw new BuildFailure($"FSW6006: ICU (libicuuc.so.<major>) is not installed in {MultiarchDir}; apt-get install libicu72.");
        var major = uc.Split('.')[^1];
        return [uc, $"libicui18n.so.{major}", $"libicudata.so.{major}"];
    }

    /// <summary>Every library the files need, from one ldd call. Missing optional ones (liblttng-ust for
    /// tracing) are skipped: the runtime loads them only when present.</summary>
    static async Task<SortedSet<string>> LddAsync(IReadOnlyList<string> files, ILog log, CancellationToken ct)
    {
        var result = await Proc.RunAsync("ldd", files, new ProcOptions { Check = false, Log = log }, ct);
        var libs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var raw in result.StdOut.Split('\n'))
        {
            var line = raw.Trim();
            if (line.EndsWith(':') || line.Length == 0) continue; // "file:" headers when given several files
            var arrow = line.IndexOf("=>", StringComparison.Ordinal);
            var path = (arrow >= 0 ? line[(arrow + 2)..] : line).Trim().Split(' ')[0];
            if (path.StartsWith('/')) libs.Add(path);
            else if (line.Contains("not found")) log.Detail("ldd: optional library absent: " + line);
        }
        if (libs.Count == 0) throw new BuildFailure($"FSW6006: ldd found no libraries for {string.Join(", ", files)}: {result.StdErr.Trim()}");
        return libs;
    }
}
