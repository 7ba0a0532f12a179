using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The local cluster's manager files: the node steps' layout under the local root.</summary>
sealed record ManagerLayout(string Root) : ManagerPaths(Root)
{
    public static string Dotnet => File.Exists("/usr/bin/dotnet") ? "/usr/bin/dotnet" : Path.Combine(Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? "/usr/share/dotnet", "dotnet");
}
