namespace Futuswarm.Build.Framework;

public static partial class Proc
{
    /// <summary>Starts a daemon that outlives this build: its own session (setsid), stdin from /dev/null,
    /// stdout+stderr appended to <paramref name="logFile"/>. Uses Debian's start-stop-daemon so no shell is
    /// involved. Returns the daemon's pid, read from <paramref name="pidFile"/>.</summary>
    /// <param name="daemonWritesPidFile">The daemon writes <paramref name="pidFile"/> itself (dockerd --pidfile);
    /// otherwise start-stop-daemon writes it before exec.</param>
    public static async Task<int> StartDetachedAsync(string file, IEnumerable<string> args, string logFile, string pidFile,
        bool daemonWritesPidFile = false, IReadOnlyDictionary<string, string?>? env = null, ILog? log = null,
        CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        if (File.Exists(pidFile)) File.Delete(pidFile); // a stale pid must not be mistaken for the new daemon
        await File.AppendAllTextAsync(logFile, $"--- {DateTimeOffset.Now:O} starting {Display(file, args)}\n", ct);

        var ssd = new List<string> { "--start", "--background", "--output", logFile, "--pidfile", pidFile, "--exec", file };
        if (!daemonWritesPidFile) ssd.Add("--make-pidfile");
        ssd.Add("--");
        ssd.AddRange(args);
        await RunAsync("/usr/sbin/start-stop-daemon", ssd, new ProcOptions { Env = env, Log = log, Timeout = TimeSpan.FromSeconds(30) }, ct);

        // The pid file appears right after fork (start-stop-daemon) or early in the daemon's start-up.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (TryReadPid(pidFile) is { } pid && IsAlive(pid)) return pid;
            if (DateTime.UtcNow > deadline)
                throw new ProcException($"'{file}' did not write {pidFile} within 15 s; see {logFile}.{LogTail(logFile)}",
                    Display(file, args), null);
            await Task.Delay(25, ct);
        }
    }

    public static int? TryReadPid(string pidFile)
    {
        try { return int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && pid > 0 ? pid : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>True when <paramref name="pid"/> runs and is not a zombie; with <paramref name="exe"/>, only when
    /// it also runs that executable (a recycled pid is not ours).</summary>
    public static bool IsAlive(int pid, string? exe = null)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            if (state is 'Z' or 'X' or '\0') return false;
            if (exe is null) return true;
            var target = new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "";
            var real = new FileInfo(exe).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? exe; // /usr/bin/dotnet -> ...
            return target == real || target == real + " (deleted)"; // "(deleted)": the package was upgraded under it
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>SIGTERM, wait up to <paramref name="grace"/>, then SIGKILL. Returns false if it was not running.</summary>
    public static async Task<bool> StopAsync(int pid, TimeSpan grace, ILog? log = null)
    {
        if (!IsAlive(pid)) return false;
        Posix.Kill(pid, Posix.SIGTERM);
        var deadline = DateTime.UtcNow + grace;
        while (IsAlive(pid) && DateTime.UtcNow < deadline) await Task.Delay(50);
        if (!IsAlive(pid)) return true;
        log?.Warn($"pid {pid} still runs {grace.TotalSeconds:0} s after SIGTERM; sending SIGKILL");
        Posix.Kill(pid, Posix.SIGKILL);
        for (var i = 0; i < 100 && IsAlive(pid); i++) await Task.Delay(50);
        return true;
    }

    /// <summary>The end of a daemon's log, for error messages when it fails to start.</summary>
    public static string LogTail(string logFile, int lines = 12)
    {
        try
        {
            var all = File.ReadAllLines(logFile);
            return "\n  " + string.Join("\n  ", all.TakeLast(lines));
        }
        catch (IOException) { return ""; }
    }
}
