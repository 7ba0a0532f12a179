using System.Text;

namespace Futuswarm.Cluster.Databases;

/// <summary>
/// The only way names and literals enter SQL text: PostgreSQL statements such as CREATE ROLE or ALTER ROLE ... PASSWORD
/// take no bind parameters. Identifiers are always double-quoted (so reserved words, upper case and '-' mean
/// themselves), and anything PostgreSQL would silently truncate or cannot store is refused rather than altered.
/// </summary>
public static class PgQuote
{
    /// <summary>PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated by the server, so two names could meet.</summary>
    public const int MaxIdentifierBytes = 63;

    /// <summary>"name" with inner double quotes doubled. Refuses empty names, NUL and names over 63 UTF-8 bytes.</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw new ArgumentException("An SQL identifier cannot be empty.", nameof(name));
        if (name.Contains('\0')) throw new ArgumentException("An SQL identifier cannot contain NUL.", nameof(name));
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxIdentifierBytes)
            throw new ArgumentException($"The SQL identifier is {bytes} bytes long; PostgreSQL keeps at most {MaxIdentifierBytes}.", nameof(name));
        if (!IsWellFormed(name)) throw new ArgumentException("An SQL identifier must be valid Unicode.", nameof(name));
        return "\"" + name.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>
    /// A string constant that means <paramref name="value"/> whatever standard_conforming_strings says: single quotes
    /// doubled, and when a backslash occurs, an E'' string with backslashes doubled (as PostgreSQL's quote_literal).
    /// Refuses NUL, which no PostgreSQL text can hold.
    /// </summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0')) throw new ArgumentException("An SQL literal cannot contain NUL.", nameof(value));
        if (!IsWellFormed(value)) throw new ArgumentException("An SQL literal must be valid Unicode.", nameof(value));
        var quoted = value.Replace("'", "''");
        return value.Contains('\\') ? "E'" + quoted.Replace("\\", "\\\\") + "'" : "'" + quoted + "'";
    }

    // A lone surrogate would become '?' or U+FFFD on the way to UTF-8: the server would see another name.
    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(s[i])) return false;
        }
        return true;
    }
}
