using System.Security.Cryptography;
using System.Text;

namespace Futuswarm.Build.Framework;

/// <summary>
/// A hash of the source files under some folders (paths and contents; bin/ and obj/ left out), so a step whose
/// output depends only on them can be skipped when they did not change.
/// </summary>
public static class SourceFingerprint
{
    public static string Of(IEnumerable<string> roots, IEnumerable<string> extraFiles)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = roots.Where(Directory.Exists)
            .SelectMany(r => Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Concat(extraFiles.Where(File.Exists))
            .Select(Path.GetFullPath)
            .Distinct()
            .Order(StringComparer.Ordinal);
        foreach (var f in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(BuildBase.RootDirectory, f)));
            hash.AppendData(File.ReadAllBytes(f));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The repo-wide files every project's build reads.</summary>
    public static IEnumerable<string> RepoWideFiles =>
        new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" }.Select(f => Path.Combine(BuildBase.RootDirectory, f));
}
