using System.Globalization;
using Futuswarm.Protocol;

namespace Futuswarm.Tasks.Databases;

/// <summary>The SwarmDatabase property: its one allowed value, and the secret names the cluster sets when it is given.</summary>
internal static class DatabaseOption
{
    public const string Postgres = "postgres";

    /// <summary>
    /// Set by the cluster from the service's database (the manager's ConnectionStrings.Names). Compared ignoring case
    /// here: .NET configuration keys are case-insensitive, so a "database_url" file would shadow or be shadowed by the cluster's.
    /// </summary>
    public static readonly string[] ReservedSecretNames = ["ConnectionStrings__Default", "DATABASE_URL"];

    /// <summary>"" for none, "postgres" for PostgreSQL (any case); FSW2017 for anything else.</summary>
    public static string Normalize(string? value)
    {
        var v = value?.Trim() ?? "";
        if (v.Length == 0) return "";
        if (string.Equals(v, Postgres, StringComparison.OrdinalIgnoreCase)) return Postgres;
        throw new FswException(ErrorCodes.InvalidDatabase,
            $"SwarmDatabase '{v}' is not a kind the cluster offers; the only one is '{Postgres}'. Set <SwarmDatabase>{Postgres}</SwarmDatabase> or remove SwarmDatabase.");
    }

    /// <summary>FSW2014 when a database is requested and one of <paramref name="names"/> is a secret the cluster sets from it.</summary>
    /// <param name="what">how the user gave the names, for the message: "SwarmSecret" or "SwarmSecretName"</param>
    public static void CheckSecretNames(IEnumerable<string> names, string database, string what)
    {
        if (database.Length == 0) return;
        foreach (var name in names)
        {
            var reserved = ReservedSecretNames.FirstOrDefault(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase));
            if (reserved is null) continue;
            var sameAs = reserved == name ? "" : $" (configuration keys ignore case, so it is the same as {reserved})";
            throw new FswException(ErrorCodes.InvalidSecretName,
                $"{what} '{name}' cannot be set on a service with SwarmDatabase{sameAs}: ConnectionStrings__Default and DATABASE_URL are set by the cluster from the service's database. Rename the secret, or remove SwarmDatabase.");
        }
    }

    /// <summary>1536 → "1.5 KB", binary units as elsewhere in the docs (Swarm's "500 KB").</summary>
    public static string FormatBytes(long bytes)
    {
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        string[] units = ["KB", "MB", "GB", "TB", "PB", "EB"];
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
