using System.Text.RegularExpressions;
using Futuswarm.Cluster.Config;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Databases;

/// <summary>
/// The two secrets a service with a database gets: <c>ConnectionStrings__Default</c> (Npgsql's format, read as
/// ConnectionStrings:Default) and <c>DATABASE_URL</c> (postgres://, for other clients). Every part is checked to be
/// plain (letters, digits, '.', '_', '-'), so neither format needs quoting and nothing can inject a keyword.
/// </summary>
public static partial class ConnectionStrings
{
    public const string DefaultName = "ConnectionStrings__Default";
    public const string UrlName = "DATABASE_URL";
    public static readonly string[] Names = [DefaultName, UrlName];

    /// <summary>Configuration keys ignore case, so "database_url" would clash with the cluster's file too.</summary>
    public static bool IsReserved(string secretName) => Names.Any(n => string.Equals(n, secretName, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^[A-Za-z0-9._-]+\\z")]
    private static partial Regex Plain();

    public static IReadOnlyList<SecretInput> For(DatabaseConfig config, DatabaseLogin login)
    {
        var host = config.ServiceHost ?? config.Host;
        var port = config.ServicePort ?? config.Port;
        foreach (var (what, value) in new[] { ("host", host), ("database", login.Database), ("role", login.Role), ("password", login.Password), ("SSL mode", config.SslMode) })
            if (!Plain().IsMatch(value))
                throw new FswException(ErrorCodes.DatabaseFailed, $"The database {what} of {login.Database} has characters a connection string would need to quote; this is a bug in the daemon's setup.");
        var npgsql = $"Host={host};Port={port};Database={login.Database};Username={login.Role};Password={login.Password};SSL Mode={config.SslMode}";
        var url = $"postgres://{login.Role}:{login.Password}@{host}:{port}/{login.Database}?sslmode={config.SslMode.ToLowerInvariant()}";
        return
        [
            new SecretInput { Name = DefaultName, Value = System.Text.Encoding.UTF8.GetBytes(npgsql) },
            new SecretInput { Name = UrlName, Value = System.Text.Encoding.UTF8.GetBytes(url) },
        ];
    }
}
