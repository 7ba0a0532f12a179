using System.Text.Json;
using Docker.DotNet;
using Futuswarm.Cluster.Config;

namespace Futuswarm.IntegrationTests;

/// <summary>The local cluster the tests run against, found the way ./build.sh LocalCluster leaves it.</summary>
public static class TestCluster
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Root { get; } = Environment.GetEnvironmentVariable("FUTUSWARM_LOCAL_DIR") is { Length: > 0 } d ? d : "/var/lib/futuswarm/local";
    public static DaemonConfig Daemon { get; } = DaemonConfig.Load(Path.Combine(Root, "managerd.json"));
    public static int EdgePort => Daemon.Edge.PublishedPort;
    public static string ProfilesDirectory { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("FUTUSWARM_HOME") is { Length: > 0 } h ? h : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".futuswarm"), "clusters");
    public static string PackagesDirectory => Path.Combine(RepoRoot, "artifacts", "packages");
    public static string SdkVersion { get; } = File.ReadAllText(Path.Combine(PackagesDirectory, "version.txt")).Trim();

    public static JsonElement Profile { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(ProfilesDirectory, "local.json"))).RootElement;

    public static DockerClient Docker() => new DockerClientConfiguration(new Uri("unix://" + Daemon.DockerSocket)).CreateClient();

    public static string NewServiceName(string prefix = "it") => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "global.json")) && Directory.Exists(Path.Combine(d.FullName, "Futuswarm.Sdk")))
                return d.FullName;
        throw new InvalidOperationException("repo root not found above " + AppContext.BaseDirectory);
    }
}
