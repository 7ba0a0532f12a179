using System.Security.Cryptography;
using System.Text;

namespace Futuswarm.Tasks.ContentKeys;

/// <summary>
/// The content key (DESIGN.md section 3): a hash of the publish output, the base image digest and the
/// container settings. The SDK stamps a creation time into every image, so digests cannot tell a no-op;
/// this key can, before anything is pushed.
/// </summary>
public static class ContentKeyCalculator
{
    public const int Version = 1;

    public static string Compute(string publishDirectory, string baseImageDigest, IEnumerable<string> containerSettings)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) { hash.AppendData(Encoding.UTF8.GetBytes(s)); hash.AppendData([0]); }

        Add($"futuswarm-content-key/{Version}");
        Add(baseImageDigest);
        foreach (var s in containerSettings) Add(s);
        var root = Path.GetFullPath(publishDirectory);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(root, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (full, relative) in files)
        {
            Add(relative);
            using var stream = File.OpenRead(full);
            Add(Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
