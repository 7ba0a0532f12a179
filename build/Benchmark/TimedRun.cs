using System.Diagnostics;

namespace Futuswarm.Build.Benchmarks;

/// <summary>One process run with the time each output line arrived, so phases can be cut at log lines.</summary>
sealed class TimedRun
{
    readonly List<(TimeSpan At, string Line)> lines = [];
    public TimeSpan Elapsed { get; private set; }
    public ProcResult Result { get; private set; } = new(-1, "", "");
    public IReadOnlyList<(TimeSpan At, string Line)> Lines => lines;

    public static async Task<TimedRun> RunAsync(ILog log, string file, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct,
        IReadOnlyDictionary<string, string?>? env = null, string? workingDirectory = null)
    {
        var run = new TimedRun();
        var watch = Stopwatch.StartNew();
        run.Result = await Proc.RunAsync(file, args, new ProcOptions
        {
            Log = log, Env = env, WorkingDirectory = workingDirectory, Timeout = timeout, Check = false,
            OnLine = line =>
            {
                var at = watch.Elapsed;
                lock (run.lines) run.lines.Add((at, line));
                log.Detail($"    [{at.TotalSeconds,6:0.00}] {line}");
            },
        }, ct);
        run.Elapsed = watch.Elapsed;
        if (!run.Result.Ok)
            throw new BuildFailure($"'{Proc.Display(file, args)}' exited with code {run.Result.ExitCode}:\n  " +
                                   string.Join("\n  ", run.lines.Select(l => l.Line).TakeLast(15)));
        return run;
    }

    /// <summary>When the first line matching <paramref name="match"/> arrived, or null.</summary>
    public TimeSpan? At(Func<string, bool> match)
    {
        lock (lines) return lines.Where(l => match(l.Line)).Select(l => (TimeSpan?)l.At).FirstOrDefault();
    }

    public bool Any(Func<string, bool> match)
    {
        lock (lines) return lines.Any(l => match(l.Line));
    }
}
