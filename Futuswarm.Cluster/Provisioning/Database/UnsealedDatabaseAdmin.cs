namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>
/// The admin secrets of a cluster whose store does not exist yet (a plan of a first provision): nothing is sealed,
/// so the plan shows the password to be made. Saving is apply's business, which always has the store.
/// </summary>
public sealed class UnsealedDatabaseAdmin : IDatabaseAdminSecrets
{
    public Task<DatabaseAdminSecret?> LoadAsync(CancellationToken ct) => Task.FromResult<DatabaseAdminSecret?>(null);

    public Task SaveAsync(DatabaseAdminSecret secret, CancellationToken ct) =>
        throw new InvalidOperationException("the cluster's store is not open: a plan never seals the database admin's password");
}
