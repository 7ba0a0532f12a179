using Engine = Futuswarm.Build.LocalCluster.Docker;

namespace Futuswarm.Build.Benchmarks;

/// <summary>The SDK image the conventional Dockerfile builds in (Microsoft's mcr.microsoft.com/dotnet/sdk is out of
/// reach here): the host-copied glibc base the cluster's images use (<see cref="GlibcRootfs"/>) plus this host's whole
/// .NET installation, SDK included, at /usr/share/dotnet. It stays in the engine only (docker build reads local
/// images; nothing runs it on the swarm) under a content tag, &lt;sdk version&gt;-&lt;input fingerprint&gt;, so it is
/// made once and again only when the host's .NET or libraries change; &lt;sdk version&gt; alone names the newest.</summary>
static class SdkBuildImage
{
    public const string Repository = "futuswarm/bench-sdk";
    const string Target = "/usr/share/dotnet";

    /// <summary>Returns the content-tagged reference the Dockerfile's FROM names.</summary>
    public static async Task<string> EnsureAsync(BenchEnvironment env, CancellationToken ct)
    {
        var log = env.Log;
        var root = DotnetRoot();
        var sdk = HighestSdk(root);

        // Every native library of the installation (host, runtime, packs) for ldd; .NET dlopens the rest by name.
        string[] elfs = [Path.Combine(root, "dotnet"), .. Directory.GetFiles(root, "*.so", SearchOption.AllDirectories)];
        string[] dlopened = ["libssl.so.3", "libcrypto.so.3", "libz.so.1", .. GlibcRootfs.IcuLibraries()];
        var fs = await GlibcRootfs.CreateAsync(elfs, dlopened, log, ct);
        fs.HostAs(root, Target);
        fs.Symlink("usr/bin/dotnet", "../share/dotnet/dotnet");

        string[] changes =
        [
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "ENV HOME=/root",
            "ENV DOTNET_CLI_TELEMETRY_OPTOUT=1",
            "ENV DOTNET_NOLOGO=1",
            "ENV NUGET_PACKAGES=/root/.nuget/packages",
            // As in Microsoft's sdk image.
            "ENV DOTNET_RUNNING_IN_CONTAINER=true",
            "ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false",
            "ENV NUGET_XMLDOC_MODE=skip",
            $"ENV DOTNET_SDK_VERSION={sdk}",
            "WORKDIR /",
        ];
        var fingerprint = fs.Fingerprint(changes);
        var repository = $"{env.Registry}/{Repository}";
        var content = $"{repository}:{sdk}-{fingerprint}";
        var named = $"{repository}:{sdk}";
        var docker = new Engine(env.DockerCli, env.Socket, log);

        var inspect = await docker.RunAsync(
            ["image", "inspect", "--format", $"{{{{index .Config.Labels \"{ImagePublisher.InputLabel}\"}}}}", content], ct, check: false);
        if (inspect.Ok && inspect.StdOut.Trim() == fingerprint)
        {
            await docker.RunAsync(["tag", content, named], ct);
            log.Info($"image {content}: in the engine, skip");
            return content;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(env.WorkDir);
        var tar = Path.Combine(env.WorkDir, "bench-sdk.tar");
        try
        {
            await fs.WriteTarAsync(tar, ct);
            var args = changes.Append($"LABEL {ImagePublisher.InputLabel}={fingerprint}").SelectMany(c => new[] { "--change", c });
            await docker.RunAsync(["import", .. args, tar, content], ct, timeout: TimeSpan.FromMinutes(10));
        }
        finally { File.Delete(tar); }
        await docker.RunAsync(["tag", content, named], ct);

        var run = await docker.RunAsync(["run", "--rm", "--network", "none", content, "dotnet", "--version"], ct, check: false,
            timeout: TimeSpan.FromSeconds(60));
        if (!run.Ok || run.StdOut.Trim() != sdk)
            throw new BuildFailure($"the SDK build image {content} failed its check (dotnet --version exited {run.ExitCode}, " +
                                   $"expected {sdk}):\n  {(run.StdErr + run.StdOut).Trim()}");

        // Older content tags (an earlier SDK or libraries) are of no further use; their layers go with them.
        var tags = await docker.OutAsync(ct, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}", repository);
        foreach (var stale in tags.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                     .Where(t => t != content && t != named && !t.EndsWith(":<none>", StringComparison.Ordinal)))
            await docker.RunAsync(["rmi", stale], ct, check: false);

        log.Info($"image {content}: built ({fs.Count} entries, SDK {sdk}) and checked in {clock.Elapsed.TotalSeconds:0.0} s; engine only, not pushed");
        return content;
    }

    /// <summary>The SDK the image carries: the host's newest.</summary>
    public static string HostSdkVersion => HighestSdk(DotnetRoot());

    /// <summary>Where the host's dotnet lives (the directory of the resolved /usr/bin/dotnet, or DOTNET_ROOT).</summary>
    static string DotnetRoot()
    {
        var resolved = new FileInfo(BenchEnvironment.Dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? BenchEnvironment.Dotnet;
        var root = Path.GetDirectoryName(resolved)!;
        return Directory.Exists(Path.Combine(root, "sdk"))
            ? root
            : throw new BuildFailure($"no SDK next to {resolved}: the benchmark's SDK build image copies the host's .NET installation.");
    }

    static string HighestSdk(string root) =>
        Directory.GetDirectories(Path.Combine(root, "sdk")).Select(Path.GetFileName)
            .Select(n => (Name: n!, Version: Version.TryParse(n!.Split('-')[0], out var v) ? v : null))
            .Where(x => x.Version is not null).OrderByDescending(x => x.Version).Select(x => x.Name).FirstOrDefault()
        ?? throw new BuildFailure($"no SDK version under {Path.Combine(root, "sdk")}.");
}
