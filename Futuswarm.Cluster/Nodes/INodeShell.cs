namespace Futuswarm.Cluster.Nodes;

/// <summary>What a program run on a node returned. Output of commands that may carry a secret is never logged.</summary>
public sealed record ShellResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Ok => ExitCode == 0;
}

/// <summary>The three things a bootstrap step may do on a node: run a fixed program with an argument list (never a
/// shell string built from input), write a file with a mode, read a file. Over SSH or on this machine alike.</summary>
public interface INodeShell : IDisposable
{
    /// <summary>Where the commands run, for logs ("root@10.0.1.5:22", "local").</summary>
    string Name { get; }

    Task<ShellResult> RunAsync(IReadOnlyList<string> argv, byte[]? stdin = null, CancellationToken ct = default);

    /// <summary>Writes the whole file with the given mode; the mode is set before the content arrives.</summary>
    Task WriteFileAsync(string path, byte[] content, UnixFileMode mode, CancellationToken ct = default);

    /// <summary>The file's bytes, or null when it does not exist.</summary>
    Task<byte[]?> ReadFileAsync(string path, CancellationToken ct = default);
}
