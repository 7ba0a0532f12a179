using System.Diagnostics;
using System.Text;

namespace Futuswarm.Build.Framework;

public sealed record ProcOptions
{
    /// <summary>Added to (or, with a null value, removed from) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?>? Env { get; init; }
    public string? WorkingDirectory { get; init; }
    public string? StdIn { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>Throw <see cref="ProcException"/> on a non-zero exit (the default).</summary>
    public bool Check { get; init; } = true;
    /// <summary>Receives each stdout/stderr line as it arrives (for slow tools such as apt-get).</summary>
    public Action<string>? OnLine { get; init; }
    /// <summary>Where the command line is logged (at Detail level).</summary>
    public ILog? Log { get; init; }
}

public sealed record ProcResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Ok => ExitCode == 0;
}

public sealed class ProcException(string message, string commandLine, ProcResult? result) : Exception(message)
{
    public string CommandLine { get; } = commandLine;
    public ProcResult? Result { get; } = result;
}

/// <summary>Runs tools with an argv array (ProcessStartInfo.ArgumentList), never through a shell.</summary>
public static partial class Proc
{
    const int TailLines = 12;

    public static async Task<ProcResult> RunAsync(string file, IEnumerable<string> args, ProcOptions? options = null,
        CancellationToken ct = default)
    {
        options ??= new ProcOptions();
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? "",
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        ApplyEnv(psi, options.Env);
        var commandLine = Display(file, psi.ArgumentList);
        options.Log?.Detail("$ " + commandLine);

        using var process = new Process { StartInfo = psi };
        try { process.Start(); }
        catch (Exception e) { throw new ProcException($"Cannot start '{file}': {e.Message}", commandLine, null); }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var readOut = Pump(process.StandardOutput, stdout, options.OnLine);
        var readErr = Pump(process.StandardError, stderr, options.OnLine);
        await process.StandardInput.WriteAsync(options.StdIn ?? "");
        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.Timeout is { } t) timeout.CancelAfter(t);
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            ct.ThrowIfCancellationRequested();
            throw new ProcException($"'{commandLine}' timed out after {options.Timeout!.Value.TotalSeconds:0.#} s.", commandLine, null);
        }
        await Task.WhenAll(readOut, readErr);

        var result = new ProcResult(process.ExitCode, stdout.ToString(), stderr.ToString());
        if (options.Check && !result.Ok)
            throw new ProcException($"'{commandLine}' exited with code {result.ExitCode}{Tail(result)}", commandLine, result);
        return result;
    }

    public static Task<ProcResult> RunAsync(string file, params string[] args) => RunAsync(file, args, null);

    static async Task Pump(StreamReader reader, StringBuilder into, Action<string>? onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into) into.Append(line).Append('\n');
            onLine?.Invoke(line);
        }
    }

    static void ApplyEnv(ProcessStartInfo psi, IReadOnlyDictionary<string, string?>? env)
    {
        if (env is null) return;
        foreach (var (k, v) in env)
            if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
    }

    /// <summary>The last stderr lines (else stdout), which is where tools say what went wrong.</summary>
    static string Tail(ProcResult r)
    {
        var text = string.IsNullOrWhiteSpace(r.StdErr) ? r.StdOut : r.StdErr;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "." : ":\n  " + string.Join("\n  ", lines.TakeLast(TailLines));
    }

    /// <summary>The command line as a shell would need it to mean the same argv: only plainly safe words stay unquoted.</summary>
    public static string Display(string file, IEnumerable<string> args) =>
        string.Join(' ', args.Prepend(file).Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=@%+,-".Contains(c))
            ? a : "'" + a.Replace("'", "'\\''") + "'"));
}
