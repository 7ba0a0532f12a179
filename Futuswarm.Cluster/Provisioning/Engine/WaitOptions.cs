namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// Bounds of every waiter and retry: a wait gives up after <see cref="Timeout"/> or <see cref="MaxAttempts"/>
/// polls, whichever comes first, so a stuck cloud never hangs a run.
/// </summary>
public sealed record WaitOptions(TimeSpan Timeout, TimeSpan Delay, TimeSpan MaxDelay, int MaxAttempts)
{
    /// <summary>For AWS: EC2 settles within seconds; a few minutes is already a fault.</summary>
    public static WaitOptions Default { get; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15), 60);

    /// <summary>For the fake cloud: no sleeping, the same bounds on attempts.</summary>
    public static WaitOptions Immediate { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.Zero, 20);

    public TimeSpan DelayBefore(int attempt)
    {
        if (Delay <= TimeSpan.Zero) return TimeSpan.Zero;
        var grown = Delay * Math.Pow(1.5, attempt - 1);
        return grown > MaxDelay ? MaxDelay : grown;
    }
}
