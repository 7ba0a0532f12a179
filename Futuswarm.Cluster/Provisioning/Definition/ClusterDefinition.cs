using System.Net;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>
/// One AWS cluster as ops describe it (docs/cluster-definition.md). Built only by
/// <see cref="ClusterDefinitionLoader"/>, so every instance has passed the rules, and every default is filled in:
/// a plan prints exactly what provisioning will use (<see cref="ClusterDefinitionWriter"/>).
/// </summary>
public sealed record ClusterDefinition
{
    /// <summary>A DNS label of at most <see cref="DefinitionLimits.MaxNameLength"/>; every AWS name derives from it (<see cref="ClusterNames"/>).</summary>
    public required string Name { get; init; }
    public required string Region { get; init; }
    /// <summary>Services answer at <c>&lt;service&gt;.&lt;BaseDomain&gt;</c>; the certificate is <c>*.&lt;BaseDomain&gt;</c>.</summary>
    public required string BaseDomain { get; init; }
    /// <summary>Who may reach port 22 of the nodes.</summary>
    public required IReadOnlyList<IPNetwork> AdminCidrs { get; init; }
    /// <summary>The explicit opt-in that lets <see cref="AdminCidrs"/> hold 0.0.0.0/0 or ::/0.</summary>
    public bool AllowSshFromAnywhere { get; init; }
    /// <summary>Who may reach the API port (deploys from laptops and CI).</summary>
    public required IReadOnlyList<IPNetwork> DeployerCidrs { get; init; }
    /// <summary>Seeded into the ACL once, when the cluster has none; later changes go through user admin.</summary>
    public required IReadOnlyList<FirstAdmin> FirstAdmins { get; init; }
    public required NodeGroups NodeGroups { get; init; }
    public required DatabaseSettings Database { get; init; }
    public required RegistrySettings Registry { get; init; }
    /// <summary>The edge proxy's image (Caddy built as LocalCluster's edge image), which the managers pull without
    /// credentials; null: the cluster is provisioned, but the managers' services are not installed (FSW6060).</summary>
    public string? EdgeImage { get; init; }
    public int ApiPort { get; init; } = DefinitionLimits.DefaultApiPort;
    public int AvailabilityZones { get; init; } = DefinitionLimits.DefaultAvailabilityZones;
    /// <summary>The VPC's private IPv4 block; each zone's subnet is carved from it.</summary>
    public IPNetwork VpcCidr { get; init; } = IPNetwork.Parse(DefinitionLimits.DefaultVpcCidr);
}

/// <summary>An admin of the new cluster and the OpenSSH public keys that identify them.</summary>
public sealed record FirstAdmin(string Name, IReadOnlyList<string> Keys);

public sealed record NodeGroups(NodeGroup Managers, NodeGroup Workers);

/// <summary>Identical EC2 instances of one swarm role. Labels become swarm node labels (and instance tags).</summary>
public sealed record NodeGroup(int Count, string InstanceType, int DiskGb, IReadOnlyDictionary<string, string> Labels);

/// <summary>The cluster's RDS instance; services get their own database and role on it.</summary>
public sealed record DatabaseSettings(
    string Engine,
    string EngineVersion,
    string InstanceClass,
    int AllocatedStorageGb,
    int BackupRetentionDays,
    bool MultiAz);

/// <summary>
/// Where images are pulled from. <see cref="PullCredentials"/> names a secret in the cluster's store that
/// holds them; the definition file is committed to repositories, so the credentials never are.
/// </summary>
public sealed record RegistrySettings(string Server, string? PullCredentials);
