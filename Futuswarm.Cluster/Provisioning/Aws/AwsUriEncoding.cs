using System.Text;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// The percent-encoding SigV4 and the Query protocol use (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay, UTF-8 bytes
/// in upper-case hex). Uri.EscapeDataString is close but not specified to match, and a single differing byte
/// means a signature AWS rejects, so the rule is written out here and pinned by the test vectors.
/// </summary>
public static class AwsUriEncoding
{
    public static string Encode(string value, bool keepSlash = false)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The canonical URI of a (decoded) path for every service but S3: dot segments resolved and empty segments
    /// dropped (the suite's normalize-path cases), each segment encoded once, a trailing slash kept.
    /// </summary>
    public static string CanonicalPath(string path)
    {
        if (string.IsNullOrEmpty(path)) return "/";
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        if (segments.Count == 0) return "/";
        var trailing = path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal);
        return "/" + string.Join('/', segments.Select(s => Encode(s))) + (trailing ? "/" : "");
    }
}
