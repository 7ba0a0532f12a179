using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Databases;

/// <summary>One login role of a service's database and its password. Never printed: ToString hides the password.</summary>
public sealed record DatabaseLogin(string Database, string Role, string Password)
{
    public override string ToString() => $"DatabaseLogin {{ Database = {Database}, Role = {Role} }}";
}

/// <summary>
/// A database per service on the cluster's PostgreSQL (DESIGN.md section 7), run with the master's credentials that
/// only the daemon holds: a NOLOGIN owner role, the database it owns, two login roles that act as it (so a password
/// rotates while tasks still use the other), PUBLIC's CONNECT and CREATE revoked. Idempotent; never drops implicitly.
/// Fails with FSW5010 when PostgreSQL does not answer and FSW5011 when it refuses a statement.
/// </summary>
public interface IDatabaseAdmin
{
    /// <summary>Creates what is missing and returns the login the service uses now (the same on every call until a rotation).</summary>
    Task<DatabaseLogin> EnsureAsync(string service, CancellationToken ct);

    /// <summary>Gives the login role not in use a new password and returns it; the active role keeps working.</summary>
    Task<DatabaseLogin> PrepareRotationAsync(string service, CancellationToken ct);

    /// <summary>After the rollout to <paramref name="now"/>: it becomes the active login and the other role's password is removed.</summary>
    Task CompleteRotationAsync(string service, DatabaseLogin now, CancellationToken ct);

    /// <summary>Null when the service has no database. Never a password.</summary>
    Task<DatabaseInfo?> InfoAsync(string service, CancellationToken ct);

    /// <summary>Drops the database and its three roles, and forgets the stored credentials. False when there was none.</summary>
    Task<bool> DropAsync(string service, CancellationToken ct);

    /// <summary>A pg_dump (custom format) of the service's database, sealed into the store; FSW5012 when it fails.</summary>
    Task<BackupInfo> BackupAsync(string service, CancellationToken ct);
}
