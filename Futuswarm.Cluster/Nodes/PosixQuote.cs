namespace Futuswarm.Cluster.Nodes;

/// <summary>The one quoting function for commands sent to a remote POSIX shell (SSH runs the command line through
/// the login shell). Every argument is single-quoted, so nothing in it is expanded: no $, `, glob, ; or newline
/// means anything. NUL cannot travel in an argument at all and is refused.</summary>
public static class PosixQuote
{
    public static string Arg(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0')) throw new ArgumentException("an argument for a remote command cannot contain NUL", nameof(value));
        // Inside single quotes only ' itself is special: close, add an escaped quote, reopen.
        return "'" + value.Replace("'", "'\\''") + "'";
    }

    public static string CommandLine(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0) throw new ArgumentException("empty command", nameof(argv));
        return string.Join(' ', argv.Select(Arg));
    }
}
