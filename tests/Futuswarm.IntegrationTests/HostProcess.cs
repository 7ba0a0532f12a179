using System.Diagnostics;

namespace Futuswarm.IntegrationTests;

/// <summary>Programs on the test host with argument lists (no shell): byte output, stdin, and one program piped into
/// another, for what the text-only <see cref="Host"/> shell does not do.</summary>
static class HostProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    static Process Start(string file, IEnumerable<string> args, bool stdin)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>The program's stdout as bytes; a non-zero exit throws with its stderr.</summary>
    public static async Task<byte[]> BytesAsync(string file, params string[] args)
    {
        using var p = Start(file, args, stdin: false);
        using var buffer = new MemoryStream();
        var error = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.BaseStream.CopyToAsync(buffer);
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} exited with {p.ExitCode}: {await error}");
        return buffer.ToArray();
    }

    /// <summary>Runs with the given stdin, bounded by <paramref name="limit"/>.</summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string stdin, TimeSpan limit)
    {
        using var p = Start(file, args, stdin: true);
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(limit);
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {limit.TotalSeconds:0} s");
        }
        return new Result(p.ExitCode, await output, await error);
    }

    /// <summary>from | to, e.g. docker save | docker load between two engines.</summary>
    public static async Task PipeAsync(string[] from, string[] to)
    {
        using var source = Start(from[0], from[1..], stdin: false);
        using var sink = Start(to[0], to[1..], stdin: true);
        var sourceError = source.StandardError.ReadToEndAsync();
        var sinkOutput = sink.StandardOutput.ReadToEndAsync();
        var sinkError = sink.StandardError.ReadToEndAsync();
        await source.StandardOutput.BaseStream.CopyToAsync(sink.StandardInput.BaseStream);
        sink.StandardInput.Close();
        await Task.WhenAll(source.WaitForExitAsync(), sink.WaitForExitAsync());
        if (source.ExitCode != 0 || sink.ExitCode != 0)
            throw new InvalidOperationException($"{from[0]} | {to[0]} failed ({source.ExitCode}/{sink.ExitCode}): {await sourceError} {await sinkError}");
        await sinkOutput;
    }
}
