namespace Futuswarm.Build.LocalCluster;

/// <summary>The infrastructure half of the local cluster, ready for the manager daemon and the API sshd.</summary>
/// <param name="Root">Data root (--dir), root-owned 0755.</param>
/// <param name="DockerSocket">Absolute path of the engine's unix socket (ours, or --engine).</param>
/// <param name="RegistryAddress">"localhost:5000": the SDK pushes there over plain HTTP by itself.</param>
/// <param name="BaseImage">The aspnet runtime base image, e.g. localhost:5000/futuswarm/aspnet:10.0.</param>
/// <param name="EdgeImage">The Caddy edge image, e.g. localhost:5000/futuswarm/edge:2.6.2 (service not created here).</param>
/// <param name="OverlayNetwork">The attachable overlay every service joins ("futuswarm").</param>
/// <param name="EdgePort">Host port the edge service publishes (mode=host).</param>
/// <param name="DockerCli">The docker CLI to use (/usr/local/bin/docker, else /usr/bin/docker).</param>
/// <param name="Database">The local PostgreSQL as managerd.json names it (the master role is set up later, with the store).</param>
public sealed record LocalInfra(
    string Root,
    string DockerSocket,
    string RegistryAddress,
    string BaseImage,
    string EdgeImage,
    string OverlayNetwork,
    int EdgePort,
    string DockerCli,
    Futuswarm.Cluster.Config.DatabaseConfig? Database = null);
