using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>
/// The manager services of an AWS manager (<see cref="ManagerServicesSpec"/>): under /opt/futuswarm, supervised by
/// systemd, the self-contained bundle's own launcher (the nodes have no .NET), the API sshd on the definition's API
/// port on every interface (the security group admits the deployers), and the cluster's API host key from the store.
/// </summary>
public static class ClusterManagerServices
{
    public const string Root = "/opt/futuswarm";
    /// <summary>The uid LocalCluster's edge image runs as (build/LocalCluster/GlibcRootfs.AppUid); an edge image for AWS is built the same way.</summary>
    public const int EdgeUid = 1654;

    /// <param name="ensureDatabaseMaster">On one manager (the first): the daemon's master is made once, not raced.</param>
    public static ManagerServicesSpec For(ClusterDefinition d, ManagerInputs inputs, ApiHostKeySource hostKey, ManagerBundle bundle,
        bool ensureDatabaseMaster, string overlayNetwork)
    {
        var paths = new ManagerPaths(Root);
        var config = AwsDaemonConfig.For(d, inputs, paths, overlayNetwork);
        return new ManagerServicesSpec
        {
            Root = Root,
            DaemonConfigJson = config.ToJson(),
            Bundle = bundle,
            Launcher = [paths.ClusterExecutable],
            HostKey = hostKey,
            HostKeyComment = $"futuswarm-{d.Name}-api",
            ApiListenAddress = "0.0.0.0",
            ApiPort = d.ApiPort,
            Supervisor = ServiceSupervisorKind.Systemd,
            EdgeDirectory = new EdgeDirectorySpec(AwsDaemonConfig.EdgeStateDirectory, EdgeUid),
            EnsureDatabaseMaster = ensureDatabaseMaster && config.Database is not null,
        };
    }

    /// <summary>FSW6060 unless the definition names the edge image: checked before a run that installs the services changes anything.</summary>
    public static void CheckEdgeImage(ClusterDefinition d)
    {
        if (d.EdgeImage is null) throw NoEdgeImage(d);
    }

    internal static FswException NoEdgeImage(ClusterDefinition d) => new(ErrorCodes.EdgeImageMissing,
        $"the definition of cluster \"{d.Name}\" has no edgeImage, and the manager daemon starts the edge proxy from it. Push the edge image " +
        "with ./build.sh PublishEdgeImage --edge-repository <registry>/<path> (a repository the managers can pull from without credentials), " +
        "set the \"edgeImage\" it prints in the definition (docs/cluster-definition.md) and run again. Nothing was changed.");

    /// <summary>The .NET runtime identifier of a node's <c>uname -m</c>: the self-contained bundle it needs.</summary>
    public static string RidOf(string machine, string node) => machine.Trim() switch
    {
        "x86_64" or "amd64" => "linux-x64",
        "aarch64" or "arm64" => "linux-arm64",
        var other => throw new FswException(ErrorCodes.ManagerArchitectureUnsupported,
            $"{node} reports the architecture '{Nodes.Redact.Tail(other, 40)}', for which no manager bundle is built (linux-x64, linux-arm64). " +
            "Use an x86_64 or arm64 instance type for the managers. Nothing was installed on it."),
    };
}
