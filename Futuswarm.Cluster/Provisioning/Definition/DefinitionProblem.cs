using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>One thing wrong with the definition: its code, the field path (<c>nodeGroups.managers.count</c>),
/// where in the file (null when the field is missing from an object the file does not have), and what to change.</summary>
public sealed record DefinitionProblem(string Code, string Path, SourcePosition? At, string Message)
{
    /// <summary>Compiler style, so editors and CI logs link it: <c>cluster.json:14:16: FSW6013 nodeGroups.managers.count: ...</c>.
    /// Without the code when the exception's own code already says it.</summary>
    public string Format(string sourceName, bool withCode = true) =>
        $"{sourceName}{(At is { } at ? ":" + at : "")}: {(withCode ? Code + " " : "")}{(Path.Length == 0 ? "" : Path + ": ")}{Message}";
}

/// <summary>
/// Every problem of one definition at once: fixing one field per run is slow when a provision is a long
/// command. <see cref="FswException.Code"/> is the lowest code among them (unreadable before unknown field
/// before invalid value before SSH open to the world), <see cref="FswException.Details"/> lists each, and
/// the message holds them too, because the build prints only the message.
/// </summary>
public sealed class ClusterDefinitionException(string sourceName, IReadOnlyList<DefinitionProblem> problems)
    : FswException(
        problems.Select(p => p.Code).Order(StringComparer.Ordinal).First(),
        Summary(sourceName, problems),
        problems.Select(p => p.Format(sourceName)).ToList())
{
    public string SourceName { get; } = sourceName;
    public IReadOnlyList<DefinitionProblem> Problems { get; } = problems;

    static string Summary(string sourceName, IReadOnlyList<DefinitionProblem> problems) =>
        problems.Count == 1
            ? problems[0].Format(sourceName, withCode: false)
            : $"{sourceName}: {problems.Count} problems in the cluster definition; change each and run again:"
              + string.Concat(problems.Select(p => Environment.NewLine + "  " + p.Format(sourceName)));
}
