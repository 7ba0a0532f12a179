using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.Databases;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>database-info, database-rotate, database-drop, database-backup: owners and admins of an existing service only.</summary>
public sealed class DatabaseVerbs(DaemonContext ctx)
{
    public async Task<ResponseLine> InfoAsync(Identity who, ServiceRequest request)
    {
        var admin = await AuthorizeAsync(who, request.Service);
        var info = await admin.InfoAsync(request.Service, ctx.Lifetime) ?? throw NoDatabase(request.Service);
        return new ResponseLine { Type = Wire.LineTypes.Result, Outcome = Wire.Outcomes.Listed, Service = request.Service, Database = info };
    }

    /// <summary>
    /// The login role not in use gets a new password; a release with the connection strings of that role rolls out
    /// like a deploy (old tasks keep the old role until they stop); then the old role's password is removed.
    /// A failed rollout leaves the old role active and working.
    /// </summary>
    public async Task<ResponseLine> RotateAsync(Identity who, DatabaseRotateRequest request, ResponseWriter writer)
    {
        var admin = await AuthorizeAsync(who, request.Service);
        if (await admin.InfoAsync(request.Service, ctx.Lifetime) is null) throw NoDatabase(request.Service);
        DatabaseLogin? next = null;
        return await new ConfigurationChange(ctx).RunAsync(who, request.Service, request.TimeoutSeconds, writer,
            async config =>
            {
                next = await admin.PrepareRotationAsync(request.Service, ctx.Lifetime);
                await writer.ProgressAsync($"database {next.Database}: switching to login role {next.Role}");
                var inputs = ConnectionStrings.For(ctx.Config.Database!, next);
                try { return await new SecretChanges(ctx.Vault).ApplyAsync(who, request.Service, config, inputs, ctx.Lifetime); }
                finally { SecretChanges.Forget(inputs); }
            },
            then: async () =>
            {
                await admin.CompleteRotationAsync(request.Service, next!, ctx.Lifetime);
                await writer.ProgressAsync($"database {next!.Database}: the previous login role's password no longer works");
            });
    }

    /// <summary>Drops the database and its roles; the connection strings leave the service's configuration (its next release).</summary>
    public async Task<ResponseLine> DropAsync(Identity who, DatabaseDropRequest request, ResponseWriter writer)
    {
        if (request.Confirm != request.Service)
            throw new FswException(ErrorCodes.ConfirmationRequired,
                $"Dropping the database of {request.Service} deletes its data. Repeat the service's name to confirm: -p:SwarmConfirm={request.Service}. Nothing was dropped.");
        var admin = await AuthorizeAsync(who, request.Service);
        using var serviceLock = await ctx.Locks.AcquireAsync(request.Service, ctx.Lifetime);
        if (!await admin.DropAsync(request.Service, ctx.Lifetime)) throw NoDatabase(request.Service);
        var config = await ctx.ServiceConfigs.ReadAsync(request.Service, ctx.Lifetime);
        var secrets = new SortedDictionary<string, SecretPin>(config.Secrets, StringComparer.Ordinal);
        foreach (var name in ConnectionStrings.Names) secrets.Remove(name);
        await ctx.ServiceConfigs.WriteAsync(request.Service, config with { Secrets = secrets }, ctx.Lifetime);
        await writer.ProgressAsync($"database {request.Service} dropped; running tasks lose it now, and the next release has no connection strings");
        return new ResponseLine { Type = Wire.LineTypes.Result, Outcome = Wire.Outcomes.Dropped, Service = request.Service };
    }

    public async Task<ResponseLine> BackupAsync(Identity who, ServiceRequest request)
    {
        var admin = await AuthorizeAsync(who, request.Service);
        if (await admin.InfoAsync(request.Service, ctx.Lifetime) is null) throw NoDatabase(request.Service);
        var backup = await admin.BackupAsync(request.Service, ctx.Lifetime);
        return new ResponseLine { Type = Wire.LineTypes.Result, Outcome = Wire.Outcomes.BackedUp, Service = request.Service, Backup = backup };
    }

    private async Task<IDatabaseAdmin> AuthorizeAsync(Identity who, string service)
    {
        DeployRequestValidator.CheckServiceName(service);
        await new ConfigurationChange(ctx).RequireKnownAsync(who, service, ctx.Lifetime);
        return ctx.Databases ?? throw new FswException(ErrorCodes.DatabaseNotFound, "This cluster offers no databases (its managerd.json names no PostgreSQL).");
    }

    private static FswException NoDatabase(string service) =>
        new(ErrorCodes.DatabaseNotFound, $"Service {service} has no database. Add <SwarmDatabase>postgres</SwarmDatabase> to its project and deploy.");
}
