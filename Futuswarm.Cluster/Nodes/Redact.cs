using System.Text.RegularExpressions;

namespace Futuswarm.Cluster.Nodes;

/// <summary>Belt and braces for logs and errors: a swarm join token is never meant to reach either, but if an engine
/// or curl echoes one back, it is cut out before the text goes anywhere.</summary>
public static partial class Redact
{
    [GeneratedRegex(@"SWMTKN-1-[A-Za-z0-9-]+")]
    private static partial Regex JoinToken();

    public static string Secrets(string text) => JoinToken().Replace(text, "SWMTKN-1-<redacted>");

    /// <summary>The last lines of command output for an error message, redacted.</summary>
    public static string Tail(string text, int maxChars = 600)
    {
        var t = Secrets(text.Trim());
        return t.Length <= maxChars ? t : "..." + t[^maxChars..];
    }
}
