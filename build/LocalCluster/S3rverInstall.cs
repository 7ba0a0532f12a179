using System.Diagnostics;
using System.Text.Json;
using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>s3rver from npm into &lt;root&gt;/s3rver/app (Debian packages no S3 server): skipped when that version is
/// there; installed into a staging directory first, so a failed install never looks installed.</summary>
static class S3rverInstall
{
    public const string Version = "3.7.1";
    const string Npm = "/usr/bin/npm";

    public static string App(LocalClusterSettings s) => Path.Combine(S3rver.Dir(s), "app");
    public static string Script(LocalClusterSettings s) => Path.Combine(App(s), "node_modules", "s3rver", "bin", "s3rver.js");

    /// <summary>Returns true when it installed (a running s3rver from the old tree is stopped first).</summary>
    public static async Task<bool> EnsureAsync(LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        if (InstalledVersion(s) == Version && File.Exists(Script(s)))
        {
            log.Detail($"s3rver {Version} installed");
            return false;
        }
        if (!File.Exists(S3rver.Node) || !File.Exists(Npm))
            throw new BuildFailure($"FSW6007: the local cluster's state store is s3rver, which needs {S3rver.Node} and {Npm} (Node.js 18 or later); install them.");
        var watch = Stopwatch.StartNew();
        var staging = App(s) + ".new";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            await Proc.RunAsync(Npm, ["install", "--prefix", staging, "--save-exact", "--no-audit", "--no-fund", "--no-update-notifier", $"s3rver@{Version}"],
                new ProcOptions { Log = log, WorkingDirectory = staging, Timeout = TimeSpan.FromMinutes(5), OnLine = line => log.Detail("npm| " + line) }, ct);
        }
        catch (ProcException e)
        {
            throw new BuildFailure($"FSW6007: npm install s3rver@{Version} failed (is the npm registry reachable?): {e.Message}", e);
        }
        if (S3rver.RunningPid(s) is { } pid) await Proc.StopAsync(pid, TimeSpan.FromSeconds(10), log);
        if (Directory.Exists(App(s))) Directory.Delete(App(s), recursive: true);
        Directory.Move(staging, App(s));
        log.Info($"s3rver: installed {Version} in {App(s)} ({watch.Elapsed.TotalSeconds:0.0} s)");
        return true;
    }

    static string? InstalledVersion(LocalClusterSettings s)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(App(s), "node_modules", "s3rver", "package.json")));
            return doc.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
        }
        catch (Exception e) when (e is IOException or JsonException) { return null; }
    }
}
