using Futuswarm.Cluster.State;
using Futuswarm.Protocol;
using SwarmLabels = Futuswarm.Cluster.Swarm.Labels;

namespace Futuswarm.Cluster.Daemon;

/// <summary>
/// A manager that stopped mid-rollout leaves a release "pending". At start the engine's state settles it:
/// the service carries that release's spec hash once the engine's update settled, so it is done; else it failed.
/// Runs beside the request loop, holding each service's lock, so a new deploy waits for the verdict.
/// </summary>
public sealed class PendingReleaseRecovery(DaemonContext ctx)
{
    private static readonly TimeSpan SettleBound = TimeSpan.FromMinutes(5);

    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var service in await ctx.Releases.ServicesAsync(ct))
        {
            var numbers = await ctx.Releases.NumbersAsync(service, ct);
            if (numbers.Count == 0) continue;
            var release = await ctx.Releases.ReadAsync(service, numbers[^1], ct);
            if (release?.State != ReleaseStates.Pending) continue;

            using var serviceLock = await ctx.Locks.AcquireAsync(service, ct);
            var running = await ctx.Swarm.InspectAsync(service, ct);
            var deadline = DateTimeOffset.UtcNow + SettleBound;
            while (running?.UpdateStatus?.State is "updating" or "rollback_started" && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(500, ct);
                running = await ctx.Swarm.InspectAsync(service, ct);
            }
            var settled = running?.UpdateStatus?.State is null or "completed";
            var atRelease = running?.Spec.Labels is { } labels
                && labels.TryGetValue(SwarmLabels.SpecHash, out var hash) && hash == release.SpecHash
                && labels.TryGetValue(SwarmLabels.Release, out var n) && n == release.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var outcome = atRelease && settled
                ? release with { State = ReleaseStates.Done, FinishedAt = DateTimeOffset.UtcNow }
                : release with
                {
                    State = ReleaseStates.Failed, FinishedAt = DateTimeOffset.UtcNow, ErrorCode = ErrorCodes.RolloutInterrupted,
                    Error = "The manager restarted during this rollout and found the service not at this release.",
                };
            // A done release's config is what runs: config.json may not have been written before the stop.
            if (outcome.State == ReleaseStates.Done)
                await ctx.ServiceConfigs.WriteAsync(service, new Secrets.ServiceConfiguration { Environment = release.Config, Secrets = release.Secrets }, ct);
            await ctx.Releases.WriteAsync(outcome, ct);
            ctx.Log($"release {release.Number} of {service} was pending at start: now {outcome.State}");
        }
    }
}
