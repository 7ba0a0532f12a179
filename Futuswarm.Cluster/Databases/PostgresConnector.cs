using System.Net.Sockets;
using Futuswarm.Cluster.Config;
using Futuswarm.Protocol;
using Npgsql;

namespace Futuswarm.Cluster.Databases;

/// <summary>
/// Connections as the master (DatabaseConfig.Host/Port, MasterUser, the password opened from the store) and the
/// translation of what goes wrong: no answer or a refused master login is FSW5010, a refused statement FSW5011 with
/// its SQLSTATE. Messages name the server and the database, never a password. Connections are not pooled: the daemon
/// works on databases rarely, and a pooled session would keep a database from being dropped.
/// </summary>
/// <param name="masterRefused">Called when the server refuses the master's password, so a cached one is read again.</param>
public sealed class PostgresConnector(DatabaseConfig config, Func<CancellationToken, Task<string?>> masterPassword, Action? masterRefused = null)
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    public DatabaseConfig Config => config;
    private string Server => $"{config.Host}:{config.Port}";

    public async Task<NpgsqlConnection> OpenAsync(string database, CancellationToken ct)
    {
        var password = await masterPassword(ct) ?? throw new FswException(ErrorCodes.DatabaseUnavailable,
            $"The master's password of PostgreSQL at {Server} is not in the store ({DatabaseCredentialsRepository.MasterKey}); " +
            "LocalCluster or the cluster's bootstrap seals it there.");
        var csb = Builder(config, config.MasterUser, database);
        csb.Password = password;
        var connection = new NpgsqlConnection(csb.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or IOException)
        {
            await connection.DisposeAsync();
            if (e is PostgresException { SqlState: PostgresErrorCodes.InvalidPassword }) masterRefused?.Invoke();
            throw Translate(e, $"connecting as {config.MasterUser} to database {database}", connecting: true);
        }
    }

    /// <summary>The connection settings every client of this server uses, without a password.</summary>
    public static NpgsqlConnectionStringBuilder Builder(DatabaseConfig config, string user, string database) => new()
    {
        Host = config.Host,
        Port = config.Port,
        Username = user,
        Database = database,
        SslMode = Enum.TryParse<SslMode>(config.SslMode, ignoreCase: true, out var mode) ? mode
            : throw new FswException(ErrorCodes.StoreConfigInvalid, $"managerd.json: database.sslMode '{config.SslMode}' is not an Npgsql SSL Mode (Disable, Require, VerifyCA, VerifyFull)."),
        Timeout = (int)ConnectTimeout.TotalSeconds,
        CommandTimeout = (int)CommandTimeout.TotalSeconds,
        Pooling = false,
        ApplicationName = "futuswarm-managerd",
    };

    public async Task ExecuteAsync(NpgsqlConnection c, string sql, string what, CancellationToken ct, NpgsqlTransaction? tx = null)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        try { await cmd.ExecuteNonQueryAsync(ct); }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or IOException)
        {
            throw Translate(e, what, connecting: false);
        }
    }

    public async Task<List<object?[]>> QueryAsync(NpgsqlConnection c, string sql, string what, CancellationToken ct, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        try
        {
            var rows = new List<object?[]>();
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
            return rows;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or IOException)
        {
            throw Translate(e, what, connecting: false);
        }
    }

    public async Task<T> ScalarAsync<T>(NpgsqlConnection c, string sql, string what, CancellationToken ct, params object[] args) =>
        (await QueryAsync(c, sql, what, ct, args)) is [[T value, ..], ..] ? value
            : throw new FswException(ErrorCodes.DatabaseFailed, $"PostgreSQL at {Server} gave no answer of the expected kind while {what}.");

    /// <summary>Maps an Npgsql failure to FSW5010/FSW5011. Never wraps the exception (its data could hold a statement).</summary>
    public FswException Translate(Exception e, string what, bool connecting)
    {
        if (e is PostgresException pg)
        {
            // Class 28 (authorization), 57P (shutdown, starting up) and 53 (too many connections): the server is there
            // but will not work for us now.
            var unavailable = pg.SqlState.StartsWith("28", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                || pg.SqlState.StartsWith("53", StringComparison.Ordinal) || pg.SqlState == "08P01" && connecting;
            return unavailable
                ? new FswException(ErrorCodes.DatabaseUnavailable,
                    $"PostgreSQL at {Server} refused {(connecting ? "the master's login" : "to go on")} while {what}: {pg.MessageText} (SQLSTATE {pg.SqlState}). Check the server and the database section of managerd.json.")
                : new FswException(ErrorCodes.DatabaseFailed,
                    $"PostgreSQL at {Server} refused a statement while {what}: {pg.MessageText}{(string.IsNullOrEmpty(pg.Detail) ? "" : $" ({pg.Detail})")} (SQLSTATE {pg.SqlState}).");
        }
        var cause = e switch
        {
            _ when FindInner<SocketException>(e) is { } s => s.Message,
            _ when FindInner<TimeoutException>(e) is not null => $"no answer within {ConnectTimeout.TotalSeconds:0} s",
            _ => e.Message,
        };
        return new FswException(ErrorCodes.DatabaseUnavailable,
            $"PostgreSQL at {Server} did not answer while {what} ({cause}). Check that it runs and that the database section of managerd.json points at it.");
    }

    private static T? FindInner<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException) if (e is T t) return t;
        return null;
    }
}
