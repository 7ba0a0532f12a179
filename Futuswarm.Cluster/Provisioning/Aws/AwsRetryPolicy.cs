using System.Net;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// Which failures are worth another attempt, and how long to wait: throttling, 5xx and transient codes are retried
/// with exponential backoff ("equal jitter": half the step fixed, half random) up to <see cref="MaxAttempts"/>;
/// everything else fails at once. Delay and jitter are injectable so tests neither sleep nor guess.
/// </summary>
public sealed record AwsRetryPolicy
{
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    public static AwsRetryPolicy Default { get; } = new();

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the second attempt).</summary>
    public TimeSpan DelayBefore(int retry)
    {
        var step = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        return TimeSpan.FromMilliseconds(step / 2 + step / 2 * Math.Clamp(Jitter(), 0, 1));
    }

    // The codes the AWS SDKs treat as throttling or transient (not quotas: IAM's LimitExceeded is not retried).
    private static readonly HashSet<string> RetryableCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "RequestThrottled", "RequestLimitExceeded", "BandwidthLimitExceeded", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
        "ServiceUnavailable", "ServiceFailure", "IDPCommunicationError",
    };

    public static bool IsRetryable(HttpStatusCode status, string? awsCode) =>
        (int)status >= 500 || status == HttpStatusCode.TooManyRequests || (awsCode is not null && RetryableCodes.Contains(awsCode));
}
