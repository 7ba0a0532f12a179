using System.Collections;
using Microsoft.Build.Framework;

namespace Futuswarm.Tests;

/// <summary>The repository root: the folder holding global.json, found by walking up from the test binaries.</summary>
internal static class RepoRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "global.json")))
                return dir.FullName;
        throw new InvalidOperationException($"no global.json above {AppContext.BaseDirectory}");
    });

    public static string Path => Root.Value;
}

/// <summary>A fresh directory under the temp folder, removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fsw-tests-" + Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public string File(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    public string Sub(string name)
    {
        var full = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(full);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Collects what a task logs.</summary>
internal sealed class MockBuildEngine : IBuildEngine
{
    public List<BuildErrorEventArgs> Errors { get; } = [];
    public List<BuildWarningEventArgs> Warnings { get; } = [];
    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "test.csproj";

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);
    public void LogCustomEvent(CustomBuildEventArgs e) { }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException();

    /// <summary>The single error logged; fails the test when there are none or several.</summary>
    public BuildErrorEventArgs SingleError()
    {
        Assert.True(Errors.Count == 1, $"expected one error, got {Errors.Count}: {string.Join(" | ", Errors.Select(e => e.Code + " " + e.Message))}");
        return Errors[0];
    }

    public string Log => string.Join("\n", Errors.Select(e => "error " + e.Code + ": " + e.Message)
        .Concat(Warnings.Select(w => "warning " + w.Code + ": " + w.Message)).Concat(Messages.Select(m => m.Message)));
}

/// <summary>
/// A stand-in for the OpenSSH client: an executable shell script that records its arguments and stdin
/// in files next to it and then runs the given body (what it prints, how it exits).
/// </summary>
internal sealed class FakeSsh : IDisposable
{
    private readonly TempDirectory _dir = new();

    public string ScriptPath { get; }
    public string ArgvFile => System.IO.Path.Combine(_dir.Path, "argv");
    public string StdinFile => System.IO.Path.Combine(_dir.Path, "stdin");

    /// <param name="body">shell lines run after the recording</param>
    /// <param name="readStdin">false: the script never reads its stdin (like ssh failing before the session)</param>
    public FakeSsh(string body, bool readStdin = true)
    {
        ScriptPath = System.IO.Path.Combine(_dir.Path, "ssh");
        var script = "#!/bin/sh\n"
            + $"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{ArgvFile}'\n"
            + (readStdin ? $"cat > '{StdinFile}'\n" : "")
            + body.ReplaceLineEndings("\n") + "\n";
        File.WriteAllText(ScriptPath, script);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(ScriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>A script that prints these lines on stdout and exits 0.</summary>
    public static FakeSsh Printing(params string[] lines) =>
        new("cat <<'FSW_EOF'\n" + string.Join("\n", lines) + "\nFSW_EOF");

    public string[] Argv => File.ReadAllLines(ArgvFile);
    public string Stdin => File.ReadAllText(StdinFile);

    public void Dispose() => _dir.Dispose();
}
