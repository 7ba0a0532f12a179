using System.Diagnostics;
using System.Text;

namespace Futuswarm.IntegrationTests;

/// <summary>A `dotnet publish -t:SwarmDeploy` left running, for tests that interrupt it (Ctrl+C, a manager crash).</summary>
public sealed class RunningDeploy : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _rolloutStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _pump;

    public RunningDeploy(string projectFile)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "publish", projectFile, "-t:SwarmDeploy", "-p:SwarmCluster=local", "-nodeReuse:false", "-nologo" }) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _pump = Task.Run(async () =>
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_log) _log.AppendLine(line);
                // The watcher's first line comes after the engine accepted the update ("release n: updating service" comes before).
                if (line.Contains(" updating: ")) _rolloutStarted.TrySetResult();
            }
        });
    }

    public int Pid => _process.Id;
    public int ExitCode => _process.ExitCode;
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>The engine has accepted the new spec and is rolling it out.</summary>
    public Task RolloutStartedAsync() => _rolloutStarted.Task.WaitAsync(TimeSpan.FromMinutes(3));

    public async Task WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await _pump;
    }

    public static async Task SignalAsync(string signal, string pid)
    {
        using var kill = Process.Start("kill", [signal, pid]);
        await kill.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
