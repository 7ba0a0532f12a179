using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>
/// A change of a service's configuration or secrets without a deploy: a running service gets a new release with
/// the same image and project settings, rolled out like a deploy; a service that does not run keeps the change
/// for its next deploy. Only services that exist can be changed, so a mistyped name changes nothing.
/// </summary>
public sealed class ConfigurationChange(DaemonContext ctx)
{
    /// <param name="then">Runs under the service's lock once the change is saved or rolled out (not when unchanged or failed).</param>
    public async Task<ResponseLine> RunAsync(Identity who, string service, int timeoutSeconds, ResponseWriter writer,
        Func<ServiceConfiguration, Task<ServiceConfiguration>> change, Func<Task>? then = null)
    {
        DeployRequestValidator.CheckServiceName(service);
        if (Validation.CheckDeployTimeout(timeoutSeconds) is { } timeout)
            throw new FswException(ErrorCodes.InvalidDeployTimeout, $"SwarmDeployTimeout {timeoutSeconds} is not valid: {timeout}.");
        var ct = ctx.Lifetime;
        await RequireKnownAsync(who, service, ct);

        using var serviceLock = await ctx.Locks.AcquireAsync(service, ct);
        var before = await ctx.ServiceConfigs.ReadAsync(service, ct);
        var after = await change(before);
        var rollout = new ReleaseRollout(ctx);
        var current = await ctx.Releases.LatestDoneAsync(service, ct);
        if (after.SameAs(before)) return rollout.Result(Wire.Outcomes.Unchanged, service, current);

        var running = await ctx.Swarm.InspectAsync(service, ct);
        if (running is null || current is null)
        {
            await ctx.ServiceConfigs.WriteAsync(service, after, ct);
            if (then is not null) await then();
            await writer.ProgressAsync($"{service} does not run; its next deploy uses this change");
            return new ResponseLine { Type = Wire.LineTypes.Result, Outcome = Wire.Outcomes.Stored, Service = service };
        }
        var plan = new ReleasePlan
        {
            Service = service, Image = current.Image, ContentKey = current.ContentKey, Spec = current.Spec, Config = after,
            TimeoutSeconds = timeoutSeconds,
        };
        var result = await rollout.RunAsync(who, plan, current, running, writer);
        if (then is not null && result.Outcome == Wire.Outcomes.Deployed) await then();
        return result;
    }

    /// <summary>The service must exist (a release or owners) and the caller must be allowed to change it.</summary>
    public async Task RequireKnownAsync(Identity who, string service, CancellationToken ct)
    {
        var owned = (await ctx.Acl.LoadAsync(ct)).Services.ContainsKey(service);
        if (!owned && (await ctx.Releases.NumbersAsync(service, ct)).Count == 0)
            throw new FswException(ErrorCodes.ServiceNotFound,
                $"There is no service '{service}' on this cluster. Check SwarmServiceName; a new service gets its first secrets and configuration from its project (SwarmSecret, SwarmEnvironmentVariable) when it is deployed.");
        await ctx.Authorizer.AuthorizeAsync(who, service, claim: false, ct);
    }
}
