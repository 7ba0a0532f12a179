using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.Databases;
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

            // Before any release: PostgreSQL down is a coded error (FSW5010) and the running service is not touched.
            var databaseSecrets = await DatabaseSecretsAsync(svc, request.Spec, ct);
            var secrets = new SecretChanges(ctx.Vault);
            var config = await secrets.ApplyAsync(who, svc, await ctx.ServiceConfigs.ReadAsync(svc, ct), request.Secrets, ct);
            try { config = await secrets.ApplyAsync(who, svc, config, databaseSecrets, ct); }
            finally { SecretChanges.Forget(databaseSecrets); }
            var plan = new ReleasePlan
            {
                Service = svc, Image = image, ContentKey = request.ContentKey, Spec = request.Spec, Config = config,
                TimeoutSeconds = request.TimeoutSeconds,
            };
            return await rollout.RunAsync(who, plan, current, running, writer);
        }
        finally { SecretChanges.Forget(request.Secrets); }
    }

    /// <summary>The connection strings of the service's database, made on its first deploy with SwarmDatabase.</summary>
    private async Task<IReadOnlyList<SecretInput>> DatabaseSecretsAsync(string service, ServiceSettings spec, CancellationToken ct)
    {
        if (spec.Database is null) return []; // a database is never dropped implicitly: its secrets stay until SwarmDatabaseDrop
        if (ctx.Databases is null || ctx.Config.Database is null)
            throw new FswException(ErrorCodes.InvalidDatabase, "This cluster offers no databases (its managerd.json names no PostgreSQL). Remove SwarmDatabase, or ask an admin.");
        var login = await ctx.Databases.EnsureAsync(service, ct);
        return ConnectionStrings.For(ctx.Config.Database, login);
    }
}
