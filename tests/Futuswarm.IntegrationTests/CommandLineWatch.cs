using System.Text;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// Reads every process's command line (/proc/*/cmdline) every few milliseconds while a deploy runs and keeps any
/// that contains one of the needles: a secret passed as an argument would be visible to every user of the machine.
/// </summary>
public sealed class CommandLineWatch : IAsyncDisposable
{
    private readonly byte[][] _needles;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _hits = [];

    public int Scans { get; private set; }
    public IReadOnlyList<string> Hits { get { lock (_hits) return _hits.ToList(); } }

    public CommandLineWatch(params string[] needles)
    {
        _needles = needles.Select(Encoding.UTF8.GetBytes).ToArray();
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                byte[] cmdline;
                try { cmdline = File.ReadAllBytes(Path.Combine(dir, "cmdline")); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                if (_needles.Any(n => cmdline.AsSpan().IndexOf(n) >= 0))
                    lock (_hits) _hits.Add($"pid {pid}: {Encoding.UTF8.GetString(cmdline).Replace('\0', ' ')}");
            }
            Scans++;
            try { await Task.Delay(20, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
