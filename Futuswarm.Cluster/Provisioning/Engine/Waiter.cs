using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// Polls until a resource reaches its target state (terraform's StateChangeConf): bounded in time and attempts,
/// a not-yet-visible resource counts as pending, and giving up is a coded error naming what was awaited.
/// </summary>
public static class Waiter
{
    public static async Task<T> UntilAsync<T>(
        string what, Func<CancellationToken, Task<T?>> refresh, Func<T, bool> done, WaitOptions options,
        CancellationToken ct, Action<string>? progress = null) where T : class
    {
        var started = DateTime.UtcNow;
        T? last = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                last = await refresh(ct);
                if (last is not null && done(last)) return last;
            }
            catch (CloudException e) when (e.IsNotFound)
            {
                // Just created and not yet visible to the endpoint that answered: pending, not gone.
                last = null;
            }
            if (attempt >= options.MaxAttempts || DateTime.UtcNow - started >= options.Timeout)
                throw new FswException(ErrorCodes.ProvisionWaitTimedOut,
                    $"Gave up waiting for {what} after {attempt} checks in {(DateTime.UtcNow - started).TotalSeconds:0}s "
                    + $"(last seen: {(last is null ? "not visible" : last.ToString())}). Check the resource in the console and run again.");
            progress?.Invoke($"waiting for {what} ({attempt})");
            var delay = options.DelayBefore(attempt);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
        }
    }
}
