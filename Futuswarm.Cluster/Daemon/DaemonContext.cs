using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.Edge;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Cluster.Swarm;

namespace Futuswarm.Cluster.Daemon;

/// <summary>What every verb works with; made once at daemon start.</summary>
public sealed class DaemonContext
{
    public required DaemonConfig Config { get; init; }
    public required IStateStore Store { get; init; }
    public required SwarmGateway Swarm { get; init; }
    public required ReleaseRepository Releases { get; init; }
    public required AclRepository Acl { get; init; }
    public required Authorizer Authorizer { get; init; }
    public required AuditLog Audit { get; init; }
    public required ServiceLocks Locks { get; init; }
    public required EdgeService Edge { get; init; }
    /// <summary>Seals and opens secret values with the configured key provider.</summary>
    public required EnvelopeCipher Cipher { get; init; }
    public required SecretVault Vault { get; init; }
    public required ServiceConfigurationRepository ServiceConfigs { get; init; }
    public required DockerSecrets DockerSecrets { get; init; }
    /// <summary>Null when managerd.json names no PostgreSQL: the cluster offers no databases.</summary>
    public IDatabaseAdmin? Databases { get; init; }
    public required Action<string> Log { get; init; }
    /// <summary>Ends only when the daemon stops: rollouts never follow a client's cancellation.</summary>
    public required CancellationToken Lifetime { get; init; }
}
