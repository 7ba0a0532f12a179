using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Step e: localhost:5000/futuswarm/aspnet:10.0, an "aspnet runtime" base made from this host's .NET
/// (framework-dependent apps need neither NuGet nor MCR). Also tagged with the exact runtime version; any change
/// of the host runtime or libraries changes the input label and rebuilds it.</summary>
static class BaseImage
{
    public const string Repository = "futuswarm/aspnet";
    public const string Channel = "10.0";

    public static async Task<string> EnsureAsync(Docker docker, LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        var root = DotnetRoot();
        var core = Highest(Path.Combine(root, "shared", "Microsoft.NETCore.App"), Channel + ".");
        var asp = Highest(Path.Combine(root, "shared", "Microsoft.AspNetCore.App"), Channel + ".");
        var fxr = Highest(Path.Combine(root, "host", "fxr"), "");
        var coreDir = Path.Combine(root, "shared", "Microsoft.NETCore.App", core);
        var aspDir = Path.Combine(root, "shared", "Microsoft.AspNetCore.App", asp);
        var fxrDir = Path.Combine(root, "host", "fxr", fxr);

        string[] elfs = [Path.Combine(root, "dotnet"), .. Directory.GetFiles(fxrDir, "*.so"),
            .. Directory.GetFiles(coreDir, "*.so"), .. Directory.GetFiles(aspDir, "*.so")];
        // .NET dlopens OpenSSL, zlib and ICU by name; ldd cannot see those.
        string[] dlopened = ["libssl.so.3", "libcrypto.so.3", "libz.so.1", .. GlibcRootfs.IcuLibraries()];
        var fs = await GlibcRootfs.CreateAsync(elfs, dlopened, log, ct);

        // The image always has .NET at /usr/share/dotnet, wherever the host keeps it.
        const string target = "/usr/share/dotnet";
        fs.HostAs(Path.Combine(root, "dotnet"), target + "/dotnet");
        fs.HostAs(fxrDir, $"{target}/host/fxr/{fxr}");
        fs.HostAs(coreDir, $"{target}/shared/Microsoft.NETCore.App/{core}");
        fs.HostAs(aspDir, $"{target}/shared/Microsoft.AspNetCore.App/{asp}");
        fs.Symlink("usr/bin/dotnet", "../share/dotnet/dotnet");

        string[] changes =
        [
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            $"ENV APP_UID={GlibcRootfs.AppUid}",            // the SDK's container publish runs the app as this uid
            "ENV ASPNETCORE_HTTP_PORTS=8080",              // else Kestrel listens on localhost:5000 in the container
            "ENV DOTNET_RUNNING_IN_CONTAINER=true",
            $"ENV DOTNET_VERSION={core}",
            $"ENV ASPNET_VERSION={asp}",
            "WORKDIR /app",
        ];
        return await ImagePublisher.EnsureAsync(docker, s, new ImagePublisher.Recipe(Repository, [Channel, asp], fs, changes,
            ["{image}", "dotnet", "--list-runtimes"], $"Microsoft.AspNetCore.App {asp}"), log, ct);
    }

    static string DotnetRoot()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("DOTNET_ROOT"), "/usr/share/dotnet", "/usr/lib/dotnet" })
            if (candidate is not null && File.Exists(Path.Combine(candidate, "dotnet"))) return candidate;
        var onPath = new FileInfo("/usr/bin/dotnet").ResolveLinkTarget(true)?.FullName;
        return onPath is not null ? Path.GetDirectoryName(onPath)!
            : throw new BuildFailure("FSW6006: no .NET installation found (DOTNET_ROOT, /usr/share/dotnet).");
    }

    /// <summary>The highest version directory starting with <paramref name="prefix"/>.</summary>
    static string Highest(string dir, string prefix) =>
        (Directory.Exists(dir) ? Directory.GetDirectories(dir) : [])
            .Select(Path.GetFileName).Where(n => n!.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => (Name: n!, Version: Version.TryParse(n!.Split('-')[0], out var v) ? v : new Version()))
            .OrderByDescending(x => x.Version).Select(x => x.Name).FirstOrDefault()
        ?? throw new BuildFailure($"FSW6006: no {prefix}* version under {dir}; the base image needs the .NET {Channel} runtime on this host.");
}
