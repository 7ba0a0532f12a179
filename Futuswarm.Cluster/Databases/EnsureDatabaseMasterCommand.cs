using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Provisioning.Database;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;
using Npgsql;

namespace Futuswarm.Cluster.Databases;

/// <summary>
/// <c>futuswarm-managerd ensure-database-master --config managerd.json</c>: run once by a manager's bootstrap. Reads the
/// RDS admin's login from the store (sealed there by provisioning before the instance was made) and the endpoint from
/// managerd.json's database section, then ensures the service master. Nothing secret is printed or passed as an argument.
/// </summary>
public static class EnsureDatabaseMasterCommand
{
    public static async Task<int> RunAsync(DaemonConfig config, CancellationToken ct)
    {
        var db = config.Database ?? throw new FswException(ErrorCodes.DatabaseMasterSetupFailed,
            "managerd.json has no database section: the manager does not know the PostgreSQL endpoint.");
        var store = StateFactory.CreateStore(config, null);
        var cipher = new EnvelopeCipher(StateFactory.CreateKeys(config));
        var admin = await new StoreDatabaseAdminSecrets(store, cipher, config.ClusterName).LoadAsync(ct)
            ?? throw new FswException(ErrorCodes.DatabaseMasterSetupFailed,
                $"the RDS admin's login is not in the store ({StoreDatabaseAdminSecrets.Key}); provision the database first.");
        var csb = PostgresConnector.Builder(db, admin.User, DatabaseNames.MaintenanceDatabase);
        csb.Password = admin.Password;
        await using var source = NpgsqlDataSource.Create(csb);
        var result = await DatabaseMasterSetup.EnsureAsync(source, new DatabaseCredentialsRepository(store, cipher, config.ClusterName),
            db.MasterUser, Console.WriteLine, ct);
        Console.WriteLine(result.ChangedAnything
            ? $"database: {db.MasterUser} on {db.Host}:{db.Port} is set up"
            : $"database: {db.MasterUser} on {db.Host}:{db.Port} was already set up; nothing changed");
        return 0;
    }
}
