using System.Text.Json;

namespace Futuswarm.Build.Benchmarks;

/// <summary>What the benchmark works with: the local cluster as LocalCluster left it, the packed SDK, a scratch folder.</summary>
sealed record BenchEnvironment(
    ILog Log, LocalClusterSettings Cluster, string DockerCli, string Socket, string Registry, string BaseImage, string Network,
    string Packages, string SdkVersion, string WorkDir, string Suffix)
{
    public static BenchEnvironment Load(LocalClusterSettings s, string packages, ILog log)
    {
        var profile = JsonDocument.Parse(File.ReadAllText(Path.Combine(LocalProfile.Directory, "local.json"))).RootElement;
        var daemon = JsonDocument.Parse(File.ReadAllText(Path.Combine(s.Root, "managerd.json"))).RootElement;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        return new BenchEnvironment(log, s, HostPackages.DockerCli,
            daemon.GetProperty("dockerSocket").GetString()!,
            profile.GetProperty("registry").GetString()!,
            profile.GetProperty("baseImage").GetString()!,
            daemon.GetProperty("network").GetString()!,
            packages, File.ReadAllText(Path.Combine(packages, "version.txt")).Trim(),
            Path.Combine(Path.GetTempPath(), "fsw-bench", suffix), suffix);
    }

    /// <summary>The packed SDK as NuGet extracted it (the manual path takes the health probe from here).</summary>
    public string SdkPackageDirectory => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "futuswarm.sdk", SdkVersion.ToLowerInvariant());

    public static string Dotnet => ManagerLayout.Dotnet;

    /// <summary>Same settings as the integration tests' dotnet runs: no MSBuild nodes left behind.</summary>
    public static IReadOnlyDictionary<string, string?> DotnetEnv { get; } = new Dictionary<string, string?>
    {
        ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1",
    };
}
