using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.LoadBalancer;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>
/// managerd.json of an AWS manager: the S3 store (SSE-KMS with the cluster's key) and KMS data keys, the edge on the
/// port the load balancer's target group sends to, tenant services on workers only, and the RDS endpoint with the
/// service master's name. No secret: the instance role gives the credentials, the master's password is sealed in
/// the store (databases/futuswarm-master.json, made by ensure-database-master from the admin's login).
/// </summary>
public static class AwsDaemonConfig
{
    /// <summary>The edge's bind-mounted directory on every manager (its admin socket and saved configuration).</summary>
    public const string EdgeStateDirectory = "/var/lib/futuswarm-edge";
    public const string DockerSocket = "/var/run/docker.sock";

    public static DaemonConfig For(ClusterDefinition d, ManagerInputs inputs, ManagerPaths paths, string overlayNetwork) => new()
    {
        ClusterName = d.Name,
        BaseDomain = d.BaseDomain,
        // The load balancer ends TLS on 443 for *.<base domain>; the default port is left out of URLs.
        PublicScheme = "https",
        DockerSocket = DockerSocket,
        StateDirectory = paths.State,
        SocketPath = paths.Socket,
        RelayUser = ManagerPaths.ApiUser,
        KeysGroup = ManagerPaths.KeysUser,
        Network = overlayNetwork,
        Edge = new EdgeConfig
        {
            Image = d.EdgeImage ?? throw ClusterManagerServices.NoEdgeImage(d),
            // Exactly the target group's port: the load balancer sends every request there on each manager.
            PublishedPort = TargetGroupKind.Port,
            StateDirectory = EdgeStateDirectory,
        },
        PlacementConstraints = ["node.role==worker"],
        Store = new StoreConfig
        {
            Kind = StoreConfig.S3,
            Bucket = inputs.StateBucket,
            Prefix = "",
            Region = d.Region,
            ServerSideEncryption = StoreConfig.SseKms,
            SseKmsKeyId = inputs.KmsKeyArn,
        },
        Keys = new KeysConfig { Kind = KeysConfig.Kms, KmsKeyId = inputs.KmsKeyArn, Region = d.Region },
        Database = inputs.DatabaseHost is { } host
            ? new DatabaseConfig { Host = host, Port = inputs.DatabasePort, MasterUser = DatabaseNames.DefaultMasterUser, SslMode = "Require" }
            : null,
    };
}
