namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// Retries a call that failed only because the cloud is eventually consistent: an id created a moment ago
/// that another endpoint does not know yet (<c>*.NotFound</c>), or a delete whose dependents are still going
/// (<c>DependencyViolation</c>). Anything else fails at once; so does the last attempt.
/// </summary>
public static class Retry
{
    public static async Task<T> OnEventualConsistencyAsync<T>(
        Func<CancellationToken, Task<T>> call, Func<CloudException, bool> retryable, WaitOptions options, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(ct);
            }
            catch (CloudException e) when (retryable(e) && attempt < options.MaxAttempts && DateTime.UtcNow - started < options.Timeout)
            {
                var delay = options.DelayBefore(attempt);
                if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
            }
        }
    }

    public static Task OnEventualConsistencyAsync(
        Func<CancellationToken, Task> call, Func<CloudException, bool> retryable, WaitOptions options, CancellationToken ct) =>
        OnEventualConsistencyAsync(async c => { await call(c); return true; }, retryable, options, ct);

    /// <summary>A reference to a just-created id that is not visible yet.</summary>
    public static bool NotFoundYet(CloudException e) => e.IsNotFound;

    /// <summary>A delete that waits on dependents still being torn down.</summary>
    public static bool DependentsGoing(CloudException e) => e.Code == "DependencyViolation";
}
