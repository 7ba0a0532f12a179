using System.Security.Cryptography;
using Futuswarm.Cluster.Daemon;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>secret-set, secret-list, secret-remove. Values go in; only names, versions and dates come out.</summary>
public sealed class SecretVerbs(DaemonContext ctx)
{
    public async Task<ResponseLine> SetAsync(Identity who, SecretSetRequest request, ResponseWriter writer)
    {
        try
        {
            if (request.Secrets.Count == 0) throw new FswException(ErrorCodes.InvalidSecretName, "The request names no secret; give at least one.");
            SecretChanges.Validate(request.Secrets, valuesRequired: true);
            await RefuseDatabaseNamesAsync(request.Service, request.Secrets.Select(s => s.Name));
            return await new ConfigurationChange(ctx).RunAsync(who, request.Service, request.TimeoutSeconds, writer,
                config => new SecretChanges(ctx.Vault).ApplyAsync(who, request.Service, config, request.Secrets, ctx.Lifetime));
        }
        finally { SecretChanges.Forget(request.Secrets); }
    }

    public async Task<ResponseLine> RemoveAsync(Identity who, RemoveRequest request, ResponseWriter writer)
    {
        CheckNames(request.Names);
        await RefuseDatabaseNamesAsync(request.Service, request.Names);
        return await RemoveCheckedAsync(who, request, writer);
    }

    /// <summary>The connection strings of a service's database are the cluster's: set by deploys and rotations, removed by a drop.</summary>
    private async Task RefuseDatabaseNamesAsync(string service, IEnumerable<string> names)
    {
        if (names.FirstOrDefault(Databases.ConnectionStrings.IsReserved) is not { } name || ctx.Databases is null) return;
        DeployRequestValidator.CheckServiceName(service);
        if (await ctx.Databases.InfoAsync(service, ctx.Lifetime) is not null)
            throw new FswException(ErrorCodes.InvalidSecretName,
                $"Secret '{name}' of {service} is set by the cluster from its database; rotate it with SwarmDatabaseRotatePassword, remove it with SwarmDatabaseDrop.");
    }

    private Task<ResponseLine> RemoveCheckedAsync(Identity who, RemoveRequest request, ResponseWriter writer)
    {
        return new ConfigurationChange(ctx).RunAsync(who, request.Service, request.TimeoutSeconds, writer, config =>
        {
            if (request.Names.FirstOrDefault(n => !config.Secrets.ContainsKey(n)) is { } missing)
                throw new FswException(ErrorCodes.SecretNotFound, $"Service {request.Service} has no secret '{missing}'; nothing was removed. SwarmSecretList shows its secrets.");
            var secrets = new SortedDictionary<string, Secrets.SecretPin>(config.Secrets, StringComparer.Ordinal);
            foreach (var n in request.Names) secrets.Remove(n);
            // The stored versions stay: older releases pin them, and a rollback to one of those brings them back.
            return Task.FromResult(config with { Secrets = secrets });
        });
    }

    public async Task<ResponseLine> ListAsync(Identity who, ServiceRequest request)
    {
        DeployRequestValidator.CheckServiceName(request.Service);
        var ct = ctx.Lifetime;
        await new ConfigurationChange(ctx).RequireKnownAsync(who, request.Service, ct);
        using var serviceLock = await ctx.Locks.AcquireAsync(request.Service, ct); // the fingerprint key may be made now
        var config = await ctx.ServiceConfigs.ReadAsync(request.Service, ct);
        var secrets = new List<SecretInfo>();
        foreach (var (name, pin) in config.Secrets.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            secrets.Add(new SecretInfo
            {
                Name = name, Version = pin.Version, SetAt = pin.SetAt, SetBy = pin.SetBy, Fingerprint = pin.Fingerprint,
                Versions = await ctx.Vault.CountVersionsAsync(request.Service, name, ct),
            });
        var key = await ctx.Vault.FingerprintKeyAsync(request.Service, ct);
        return new ResponseLine
        {
            Type = Wire.LineTypes.Result, Outcome = Wire.Outcomes.Listed, Service = request.Service, Secrets = secrets, FingerprintKey = key,
        };
    }

    private static void CheckNames(IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new FswException(ErrorCodes.InvalidSecretName, "The request names no secret; give at least one.");
        foreach (var n in names)
            if (Validation.CheckSecretName(n) is { } reason)
                throw new FswException(ErrorCodes.InvalidSecretName, $"Secret name is not valid: {reason}.");
    }
}
