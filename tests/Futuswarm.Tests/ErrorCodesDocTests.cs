using System.Reflection;
using System.Text.RegularExpressions;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>ErrorCodes.cs, docs/errors.md and every code written elsewhere in the repo name the same set of codes.</summary>
public class ErrorCodesDocTests
{
    private static readonly Regex CodeToken = new(@"\bFSW\d+\b", RegexOptions.Compiled);
    private static readonly Regex TableRow = new(@"^\|\s*(FSW\d+)\s*\|(.*)\|\s*$", RegexOptions.Compiled | RegexOptions.Multiline);

    private static IReadOnlyList<(string Name, string Value)> Constants() =>
        typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
            .ToList();

    private static string ErrorsDoc => File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "errors.md"));

    private static List<(string Code, string Cells)> DocRows() =>
        TableRow.Matches(ErrorsDoc).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();

    [Fact]
    public void ErrorCodesHasConstants()
    {
        Assert.True(Constants().Count >= 40, $"only {Constants().Count} constants found by reflection");
        Assert.Equal("FSW2001", ErrorCodes.InvalidServiceName);
    }

    [Fact]
    public void EveryConstantIsWellFormed()
    {
        foreach (var (name, value) in Constants())
            Assert.True(Regex.IsMatch(value, @"^FSW\d{4}$"), $"{name} = '{value}' is not FSWnnnn");
    }

    [Fact]
    public void NoDuplicateValues()
    {
        var duplicates = Constants().GroupBy(c => c.Value).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.Name))}").ToList();
        Assert.True(duplicates.Count == 0, "duplicate codes: " + string.Join("; ", duplicates));
    }

    [Fact]
    public void EveryConstantIsARowOfTheDoc()
    {
        var rows = DocRows().Select(r => r.Code).ToHashSet();
        var missing = Constants().Where(c => !rows.Contains(c.Value)).Select(c => $"{c.Value} ({c.Name})").ToList();
        Assert.True(missing.Count == 0, "not in docs/errors.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryCodeInTheDocIsAConstant()
    {
        var known = Constants().Select(c => c.Value).ToHashSet();
        var unknown = CodeToken.Matches(ErrorsDoc).Select(m => m.Value).Where(c => !known.Contains(c)).Distinct().ToList();
        Assert.True(unknown.Count == 0, "docs/errors.md names codes that ErrorCodes.cs lacks: " + string.Join(", ", unknown));
    }

    [Fact]
    public void EveryDocRowIsListedOnceWithMeaningAndFix()
    {
        var rows = DocRows();
        Assert.NotEmpty(rows);
        var repeated = rows.GroupBy(r => r.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, "rows listed twice: " + string.Join(", ", repeated));
        foreach (var (code, cellsText) in rows)
        {
            var cells = cellsText.Split('|');
            Assert.True(cells.Length == 2 && cells.All(c => c.Trim().Length > 0), $"{code}: the row needs a meaning and a fix");
        }
    }

    public static TheoryData<string> SourcesUsingCodes()
    {
        var data = new TheoryData<string>();
        foreach (var f in SourceFiles()) data.Add(f);
        return data;
    }

    private static List<string> SourceFiles()
    {
        var root = RepoRoot.Path;
        static bool NotBuildOutput(string path) =>
            !path.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj");
        var files = new List<string>();
        files.AddRange(Directory.EnumerateFiles(Path.Combine(root, "Futuswarm.Sdk", "Sdk"), "*.*")
            .Where(f => f.EndsWith(".targets", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal)));
        files.AddRange(Directory.EnumerateFiles(Path.Combine(root, "build"), "*.cs", SearchOption.AllDirectories));
        foreach (var project in Directory.EnumerateDirectories(root, "Futuswarm.*"))
            files.AddRange(Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories));
        return files.Select(f => Path.GetRelativePath(root, f)).Where(NotBuildOutput).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void TheScannedSourcesIncludeTheTargetsAndTheBuild()
    {
        var files = SourceFiles();
        Assert.Contains(Path.Combine("Futuswarm.Sdk", "Sdk", "Sdk.targets"), files);
        Assert.Contains(files, f => f.StartsWith("build" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("Futuswarm.Tasks" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("Futuswarm.Cluster" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SourcesUsingCodes))]
    public void EveryCodeWrittenInTheSourcesIsKnown(string relativePath)
    {
        var known = Constants().Select(c => c.Value).ToHashSet();
        var text = File.ReadAllText(Path.Combine(RepoRoot.Path, relativePath));
        var unknown = CodeToken.Matches(text).Select(m => m.Value).Where(c => !known.Contains(c)).Distinct().ToList();
        Assert.True(unknown.Count == 0, $"{relativePath} uses codes that ErrorCodes.cs lacks: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void TheTargetsUseTheirDocumentedCodes()
    {
        // The target checks are plain <Error Code=...> elements: each must be one of the FSW0xxx family.
        var targets = File.ReadAllText(Path.Combine(RepoRoot.Path, "Futuswarm.Sdk", "Sdk", "Sdk.targets"));
        var codes = Regex.Matches(targets, "Code=\"(FSW\\d{4})\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(codes);
        Assert.All(codes, c => Assert.StartsWith("FSW0", c));
    }
}
