using Futuswarm.Cluster.Daemon;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>
/// authorize -> validate -> (no image sent and the content key differs: image-required) -> the project's secrets
/// into the config -> the release rollout (DESIGN.md section 3).
/// </summary>
public sealed class DeployVerb(DaemonContext ctx)
{
    public async Task<ResponseLine> RunAsync(Identity who, DeployRequest request, ResponseWriter writer, CancellationToken clientGone)
    {
        try
        {
            DeployRequestValidator.Validate(request);
            SecretChanges.Validate(request.Secrets, valuesRequired: false);
            var ct = ctx.Lifetime; // the rollout finishes even when the client goes away
            await ctx.Authorizer.AuthorizeAsync(who, request.Service, claim: true, ct);

            using var serviceLock = await ctx.Locks.AcquireAsync(request.Service, ct);
            var svc = request.Service;
            var rollout = new ReleaseRollout(ctx);
            var current = await ctx.Releases.LatestDoneAsync(svc, ct);
            var running = await ctx.Swarm.InspectAsync(svc, ct);

            // No image sent: the client skipped publishing because its content key may match what runs.
            var image = request.Image;
            if (image is null)
            {
                if (current is null || current.ContentKey != request.ContentKey)
                    return rollout.Result(Wire.Outcomes.ImageRequired, svc, current);
                image = current.Image;
            }

            var config = await new SecretChanges(ctx.Vault).ApplyAsync(who, svc, await ctx.ServiceConfigs.ReadAsync(svc, ct), request.Secrets, ct);
            var plan = new ReleasePlan
            {
                Service = svc, Image = image, ContentKey = request.ContentKey, Spec = request.Spec, Config = config,
                TimeoutSeconds = request.TimeoutSeconds,
            };
            return await rollout.RunAsync(who, plan, current, running, writer);
        }
        finally { SecretChanges.Forget(request.Secrets); }
    }
}
