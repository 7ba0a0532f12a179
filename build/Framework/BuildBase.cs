namespace Futuswarm.Build.Framework;

/// <summary>Base of the build class: the runner fills <see cref="Log"/> before any target runs.</summary>
public abstract class BuildBase
{
    public ILog Log { get; internal set; } = new ConsoleLog(verbose: false);

    /// <summary>The repository root (the directory holding build.sh).</summary>
    public static string RootDirectory { get; } = FindRoot();

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "build.sh"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}

/// <summary>An expected failure with a message meant for the user (usually starting with an FSWnnnn code):
/// printed without a stack trace.</summary>
public sealed class BuildFailure(string message, Exception? inner = null) : Exception(message, inner);
