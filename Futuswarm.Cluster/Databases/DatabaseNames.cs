using System.Text;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Databases;

/// <summary>
/// What one service's database is called on the server: the database <c>svc</c> (hyphens kept), the NOLOGIN owner
/// <c>svc_owner</c> and the login roles <c>svc_a</c> and <c>svc_b</c>. Service names never contain '_', so these
/// names cannot meet another service's; names starting with "futuswarm" are reserved, so none meets the master.
/// </summary>
public sealed record DatabaseNames
{
    public const string Kind = "postgres";
    /// <summary>The master role on the local cluster (on AWS, RDS's master user): CREATEDB, CREATEROLE, not superuser.</summary>
    public const string DefaultMasterUser = "futuswarm_master";
    /// <summary>Where the master connects when it works on no service's database.</summary>
    public const string MaintenanceDatabase = "postgres";

    /// <summary>Databases and roles PostgreSQL or RDS already have: a service of that name can have no database of its own.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "postgres", "template0", "template1", "rdsadmin",
    };

    public required string Service { get; init; }
    public required string Database { get; init; }
    public required string Owner { get; init; }
    public required string LoginA { get; init; }
    public required string LoginB { get; init; }

    public IReadOnlyList<string> Logins => [LoginA, LoginB];
    public IReadOnlyList<string> Roles => [Owner, LoginA, LoginB];

    public string OtherLogin(string login) =>
        login == LoginA ? LoginB : login == LoginB ? LoginA : throw new ArgumentException($"'{login}' is not a login role of {Database}.", nameof(login));

    /// <summary>The names for a service, after checking the name as the daemon does (FSW2001) and against PostgreSQL's limits.</summary>
    public static DatabaseNames For(string service)
    {
        if (Validation.CheckServiceName(service) is { } why)
            throw new FswException(ErrorCodes.InvalidServiceName, $"Invalid service name for a database: {why}.");
        if (Reserved.Contains(service))
            throw new FswException(ErrorCodes.InvalidServiceName,
                $"Invalid service name for a database: '{service}' is one of PostgreSQL's own names; a service with a database needs another name.");
        var names = new DatabaseNames
        {
            Service = service, Database = service, Owner = service + "_owner", LoginA = service + "_a", LoginB = service + "_b",
        };
        foreach (var n in names.Roles.Append(names.Database))
            if (Encoding.UTF8.GetByteCount(n) > PgQuote.MaxIdentifierBytes)
                throw new FswException(ErrorCodes.InvalidServiceName,
                    $"Invalid service name for a database: the name '{n}' would be longer than PostgreSQL's {PgQuote.MaxIdentifierBytes} bytes.");
        return names;
    }
}
