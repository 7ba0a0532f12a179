namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>
/// A PostgreSQL version as RDS names it (<c>16.4</c>, <c>9.6.22</c>): its major (16; 9.6 before version 10) and the
/// rest, compared part by part so that 16.10 is newer than 16.9.
/// </summary>
public sealed record PostgresVersion(IReadOnlyList<int> Parts) : IComparable<PostgresVersion>
{
    /// <summary>Two parts before PostgreSQL 10 (9.6), one after (16).</summary>
    public string Major => Parts[0] >= 10 ? Parts[0].ToString() : string.Join('.', Parts.Take(2));

    public static bool TryParse(string? text, out PostgresVersion version)
    {
        version = new PostgresVersion([]);
        if (string.IsNullOrEmpty(text)) return false;
        var parts = new List<int>();
        foreach (var p in text.Split('.'))
        {
            if (p.Length is 0 or > 5 || !p.All(char.IsAsciiDigit)) return false;
            parts.Add(int.Parse(p));
        }
        if (parts.Count is < 1 or > 3 || (parts[0] < 10 && parts.Count < 2)) return false;
        version = new PostgresVersion(parts);
        return true;
    }

    /// <summary>
    /// True when this version, as far as it goes, is <paramref name="other"/>: "16" is met by 16.4 (RDS picks the minor
    /// when only the major is given, and reports the one it picked).
    /// </summary>
    public bool IsMetBy(PostgresVersion other) => Parts.Count <= other.Parts.Count && Parts.SequenceEqual(other.Parts.Take(Parts.Count));

    /// <summary><paramref name="other"/> cut to as many parts as this version has.</summary>
    public PostgresVersion AsPreciseAs(PostgresVersion other) => new(other.Parts.Take(Parts.Count).ToList());

    public int CompareTo(PostgresVersion? other)
    {
        if (other is null) return 1;
        for (var i = 0; i < Math.Max(Parts.Count, other.Parts.Count); i++)
        {
            var c = Parts.ElementAtOrDefault(i).CompareTo(other.Parts.ElementAtOrDefault(i));
            if (c != 0) return c;
        }
        return 0;
    }

    public bool Equals(PostgresVersion? other) => other is not null && CompareTo(other) == 0;
    public override int GetHashCode() => string.Join('.', Parts).GetHashCode();
    public override string ToString() => string.Join('.', Parts);
}
