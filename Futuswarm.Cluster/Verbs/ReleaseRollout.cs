using Docker.DotNet.Models;
using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Cluster.Swarm;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>
/// release "pending" -> Docker secrets -> create/update the service -> wait until the new tasks answer -> routes ->
/// config.json and release "done" (DESIGN.md section 3). Used by deploys and by config and secret changes alike.
/// A failed rollout ends in a coded error with the task's error and last log lines, the previous release keeps
/// serving and config.json keeps what it serves. The caller holds the service's lock.
/// </summary>
public sealed class ReleaseRollout(DaemonContext ctx)
{
    private static readonly TimeSpan RollbackBound = TimeSpan.FromSeconds(120);

    public async Task<ResponseLine> RunAsync(Identity who, ReleasePlan plan, Release? current, SwarmService? running, ResponseWriter writer)
    {
        var ct = ctx.Lifetime; // the rollout finishes even when the client goes away
        var svc = plan.Service;
        var settings = plan.EffectiveSettings();
        var versions = plan.Config.SecretVersions();
        var specHash = SpecHash.Compute(plan.Image, settings, versions);
        if (running is not null && current is not null && current.SpecHash == specHash
            && running.Spec.Labels is { } labels && labels.TryGetValue(Labels.SpecHash, out var runningHash) && runningHash == specHash)
            return Result(Wire.Outcomes.Unchanged, svc, current);

        var number = await ctx.Releases.NextNumberAsync(svc, ct);
        var release = new Release
        {
            Number = number, Service = svc, State = ReleaseStates.Pending, Image = plan.Image, ContentKey = plan.ContentKey,
            SpecHash = specHash, Spec = plan.Spec, Config = plan.Config.Environment, Secrets = plan.Config.Secrets,
            DeployedBy = who.User, CreatedAt = DateTimeOffset.UtcNow,
        };
        await ctx.Releases.WriteAsync(release, ct);
        await writer.ProgressAsync($"release {number}: {(running is null ? "creating" : "updating")} service {svc} with {plan.Image}");

        var started = DateTimeOffset.UtcNow;
        var deadline = started.AddSeconds(plan.TimeoutSeconds);
        var templateHash = SpecHash.Template(plan.Image, settings, versions);
        try
        {
            var secretRefs = await ctx.DockerSecrets.EnsureAsync(svc, versions, ct);
            var spec = ServiceSpecBuilder.Build(svc, plan.Image, settings, number, plan.ContentKey, specHash, templateHash,
                ctx.Config.Network, ctx.Config.PlacementConstraints, secretRefs);
            var watcher = new RolloutWatcher(ctx.Swarm, writer.ProgressAsync);
            if (running is null)
            {
                var created = await ctx.Swarm.CreateAsync(spec, ct);
                var outcome = await watcher.WaitForCreateAsync(svc, templateHash, settings.Replicas, deadline, ct);
                if (!outcome.Succeeded)
                {
                    var details = await FailureDetailsAsync(created.ID, outcome);
                    await ctx.Swarm.RemoveAsync(created.ID, ct);
                    throw await FailAsync(release, ErrorCodes.FirstDeployFailed,
                        $"The first rollout of {svc} failed ({outcome.Message}); the service was removed. Fix the app so it starts and answers {settings.HealthCheckPath} with 2xx/3xx, then deploy again.", details);
                }
            }
            else
            {
                await ctx.Swarm.UpdateAsync(running.ID, running.Version.Index, spec, ct);
                var outcome = await watcher.WaitForUpdateAsync(svc, templateHash, settings.Replicas, started, deadline, ct);
                if (!outcome.Succeeded)
                    throw await RolledBackAsync(release, running, current, outcome, settings, ct);
            }
        }
        catch (FswException e) when (e.Code is ErrorCodes.EngineError or ErrorCodes.ConcurrentChange or ErrorCodes.StateCorrupt
                                     or ErrorCodes.SecretContextMismatch or ErrorCodes.SecretKeyUnwrapFailed or ErrorCodes.SecretTampered
                                     or ErrorCodes.SecretFormatUnknown or ErrorCodes.KmsFailed or ErrorCodes.StoreFailed)
        {
            throw await FailAsync(release, e.Code, e.Message, e.Details);
        }

        // What runs is now this release's config: written before the release is marked done, so a crash in between
        // leaves a pending release that recovery settles from the engine, and writes config.json again.
        await ctx.ServiceConfigs.WriteAsync(svc, plan.Config, ct);
        release = release with { State = ReleaseStates.Done, FinishedAt = DateTimeOffset.UtcNow };
        await ctx.Releases.WriteAsync(release, ct);
        try { await ctx.Edge.ApplyRoutesAsync(ct); }
        catch (Exception e) when (e is FswException or HttpRequestException or IOException)
        {
            await writer.WriteAsync(new ResponseLine { Type = Wire.LineTypes.Log, Code = ErrorCodes.EngineError, Message = $"the service runs, but its route could not be applied yet ({e.Message}); the daemon retries" });
        }
        await CollectSecretsAsync(svc, release, current);
        return Result(Wire.Outcomes.Deployed, svc, release);
    }

    /// <summary>Keeps the Docker secrets of this release, the previous one and the last K; the rest go. Best effort.</summary>
    private async Task CollectSecretsAsync(string svc, Release now, Release? previous)
    {
        try
        {
            var numbers = await ctx.Releases.NumbersAsync(svc, ctx.Lifetime);
            var keep = new List<IReadOnlyDictionary<string, string>> { Versions(now) };
            if (previous is not null) keep.Add(Versions(previous));
            foreach (var n in numbers.TakeLast(ctx.Config.KeepReleases))
                if (await ctx.Releases.ReadAsync(svc, n, ctx.Lifetime) is { } r) keep.Add(Versions(r));
            var removed = await ctx.DockerSecrets.CollectAsync(svc, keep, ctx.Lifetime);
            if (removed > 0) ctx.Log($"{svc}: removed {removed} Docker secret(s) no kept release uses");
        }
        catch (Exception e) when (e is FswException or HttpRequestException or IOException)
        {
            ctx.Log($"{svc}: secret collection failed, retried after the next release: {e.Message}");
        }
    }

    private static SortedDictionary<string, string> Versions(Release r) =>
        new ServiceConfiguration { Environment = r.Config, Secrets = r.Secrets }.SecretVersions();

    private async Task<FswException> RolledBackAsync(Release release, SwarmService before, Release? previous, RolloutResult outcome, ServiceSettings settings, CancellationToken ct)
    {
        var svc = release.Service;
        var code = ErrorCodes.RolloutFailed;
        var what = outcome.Message;
        if (outcome.Message == "timed out")
        {
            // A check that never passes only pauses an update: the daemon enforces the bound itself.
            code = ErrorCodes.RolloutTimedOut;
            what = $"the new tasks were not healthy within {(int)(DateTimeOffset.UtcNow - release.CreatedAt).TotalSeconds} s";
            var now = await ctx.Swarm.InspectAsync(svc, ct);
            if (now is not null && now.UpdateStatus?.State is not "rollback_completed")
            {
                // The engine may already be rolling back on its own; then waiting is all there is to do.
                if (now.UpdateStatus?.State is not "rollback_started")
                    await ctx.Swarm.RollbackAsync(now, ct);
                var watcher = new RolloutWatcher(ctx.Swarm, _ => Task.CompletedTask);
                if (!await watcher.WaitForRollbackAsync(svc, DateTimeOffset.UtcNow + RollbackBound, ct))
                    code = ErrorCodes.RollbackFailed;
            }
        }
        var details = await FailureDetailsAsync(before.ID, outcome);
        var keeps = previous is null ? "the previous spec keeps serving" : $"release {previous.Number} ({previous.Image}) keeps serving with its configuration and secrets";
        var message = code == ErrorCodes.RollbackFailed
            ? $"The rollout of {svc} failed ({what}) and the rollback did not complete within {RollbackBound.TotalSeconds} s; check `docker service ps {svc}` on a manager."
            : $"The rollout of {svc} failed ({what}) and was rolled back; {keeps}. Fix the app so it starts and answers {settings.HealthCheckPath} with 2xx/3xx, then deploy again.";
        return await FailAsync(release, code, message, details);
    }

    /// <summary>The failed task's error, its last health checks and log lines: its own container's when on this node, else the service's.</summary>
    private async Task<List<string>> FailureDetailsAsync(string serviceId, RolloutResult outcome)
    {
        var details = new List<string>();
        if (outcome.FailedTaskError is { } err) details.Add(err);
        IReadOnlyList<string> logs = [];
        if (outcome.FailedContainerId is { Length: > 0 } container)
        {
            details.AddRange(await ctx.Swarm.HealthLogAsync(container, ctx.Lifetime));
            logs = await ctx.Swarm.ContainerLogLinesAsync(container, 20, ctx.Lifetime);
        }
        if (logs.Count == 0) logs = await ctx.Swarm.LastLogLinesAsync(serviceId, 20, ctx.Lifetime);
        if (logs.Count > 0)
        {
            details.Add("last log lines:");
            details.AddRange(logs);
        }
        return details;
    }

    private async Task<FswException> FailAsync(Release release, string code, string message, IReadOnlyList<string> details)
    {
        await ctx.Releases.WriteAsync(release with { State = ReleaseStates.Failed, FinishedAt = DateTimeOffset.UtcNow, ErrorCode = code, Error = message }, ctx.Lifetime);
        return new FswException(code, message, details);
    }

    public ResponseLine Result(string outcome, string svc, Release? release) => new()
    {
        Type = Wire.LineTypes.Result,
        Outcome = outcome,
        Service = svc,
        Release = release?.Number,
        Image = release?.Image,
        ContentKey = release?.ContentKey,
        SpecHash = release?.SpecHash,
        Url = release?.Spec.Port is null ? null : ctx.Config.UrlOf(svc),
    };
}
