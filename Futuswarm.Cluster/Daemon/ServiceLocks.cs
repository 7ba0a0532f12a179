using System.Collections.Concurrent;

namespace Futuswarm.Cluster.Daemon;

/// <summary>One writer per service at a time; the store's shared documents (acl.json) get their own lock.</summary>
public sealed class ServiceLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    public SemaphoreSlim Acl { get; } = new(1, 1);

    public async Task<IDisposable> AcquireAsync(string service, CancellationToken ct)
    {
        var s = _locks.GetOrAdd(service, _ => new SemaphoreSlim(1, 1));
        await s.WaitAsync(ct);
        return new Releaser(s);
    }

    private sealed class Releaser(SemaphoreSlim s) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) s.Release(); }
    }
}
