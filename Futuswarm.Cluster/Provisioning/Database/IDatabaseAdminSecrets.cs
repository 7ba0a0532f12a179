namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>
/// The RDS admin's login, as sealed in the cluster's store. <see cref="Applied"/> is false from the moment a password
/// is sealed until RDS has taken it (CreateDBInstance or ModifyDBInstance answered), so a run that failed between the
/// two sets the same password again instead of losing it. ToString never shows the password.
/// </summary>
public sealed record DatabaseAdminSecret(string Identifier, string User, string Password, bool Applied)
{
    public override string ToString() => $"DatabaseAdminSecret {{ Identifier = {Identifier}, User = {User}, Password = ***, Applied = {Applied} }}";
}

/// <summary>Where the database layer keeps the RDS admin's password: sealed before any call that gives it to RDS.</summary>
public interface IDatabaseAdminSecrets
{
    /// <summary>The sealed admin login; null when none was sealed yet.</summary>
    Task<DatabaseAdminSecret?> LoadAsync(CancellationToken ct);

    /// <summary>Seals <paramref name="secret"/>, replacing what was there.</summary>
    Task SaveAsync(DatabaseAdminSecret secret, CancellationToken ct);
}
