using Docker.DotNet.Models;
using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.State;
using Futuswarm.Cluster.Swarm;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>
/// authorize -> validate -> release "pending" -> create/update the service -> wait until the new tasks
/// answer -> routes -> release "done" (DESIGN.md section 3). A failed rollout ends in a coded error with
/// the task's error and last log lines, and the previous release keeps serving.
/// </summary>
public sealed class DeployVerb(DaemonContext ctx)
{
    private static readonly TimeSpan RollbackBound = TimeSpan.FromSeconds(120);

    public async Task<ResponseLine> RunAsync(Identity who, DeployRequest request, ResponseWriter writer, CancellationToken clientGone)
    {
        DeployRequestValidator.Validate(request);
        var ct = ctx.Lifetime; // the rollout finishes even when the client goes away
        await ctx.Authorizer.AuthorizeAsync(who, request.Service, claim: true, ct);

        using var serviceLock = await ctx.Locks.AcquireAsync(request.Service, ct);
        var svc = request.Service;
        var current = await ctx.Releases.LatestDoneAsync(svc, ct);
        var running = await ctx.Swarm.InspectAsync(svc, ct);

        // No image sent: the client skipped publishing because its content key may match what runs.
        var image = request.Image;
        if (image is null)
        {
            if (current is null || current.ContentKey != request.ContentKey)
                return Result(Wire.Outcomes.ImageRequired, svc, current);
            image = current.Image;
        }

        var settings = request.Spec;
        var specHash = SpecHash.Compute(image, settings);
        if (running is not null && current is not null && current.SpecHash == specHash
            && running.Spec.Labels is { } labels && labels.TryGetValue(Labels.SpecHash, out var runningHash) && runningHash == specHash)
            return Result(Wire.Outcomes.Unchanged, svc, current);

        var number = await ctx.Releases.NextNumberAsync(svc, ct);
        var release = new Release
        {
            Number = number, Service = svc, State = ReleaseStates.Pending, Image = image, ContentKey = request.ContentKey,
            SpecHash = specHash, Spec = settings, DeployedBy = who.User, CreatedAt = DateTimeOffset.UtcNow,
        };
        await ctx.Releases.WriteAsync(release, ct);
        await writer.ProgressAsync($"release {number}: {(running is null ? "creating" : "updating")} service {svc} with {image}");

        var spec = ServiceSpecBuilder.Build(svc, image, settings, number, request.ContentKey, specHash, ctx.Config.Network, ctx.Config.PlacementConstraints);
        var templateHash = SpecHash.Template(image, settings);
        var watcher = new RolloutWatcher(ctx.Swarm, writer.ProgressAsync);
        var started = DateTimeOffset.UtcNow;
        var deadline = started.AddSeconds(request.TimeoutSeconds);

        try
        {
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
        catch (FswException e) when (e.Code is ErrorCodes.EngineError or ErrorCodes.ConcurrentChange)
        {
            throw await FailAsync(release, e.Code, e.Message, []);
        }

        release = release with { State = ReleaseStates.Done, FinishedAt = DateTimeOffset.UtcNow };
        await ctx.Releases.WriteAsync(release, ct);
        try { await ctx.Edge.ApplyRoutesAsync(ct); }
        catch (Exception e) when (e is FswException or HttpRequestException or IOException)
        {
            await writer.WriteAsync(new ResponseLine { Type = Wire.LineTypes.Log, Code = ErrorCodes.EngineError, Message = $"the service runs, but its route could not be applied yet ({e.Message}); the daemon retries" });
        }
        return Result(Wire.Outcomes.Deployed, svc, release);
    }

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
        var keeps = previous is null ? "the previous spec keeps serving" : $"release {previous.Number} ({previous.Image}) keeps serving";
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

    private ResponseLine Result(string outcome, string svc, Release? release) => new()
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
