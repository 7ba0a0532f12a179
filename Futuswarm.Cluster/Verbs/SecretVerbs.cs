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
            return await new ConfigurationChange(ctx).RunAsync(who, request.Service, request.TimeoutSeconds, writer,
                config => new SecretChanges(ctx.Vault).ApplyAsync(who, request.Service, config, request.Secrets, ctx.Lifetime));
        }
        finally { SecretChanges.Forget(request.Secrets); }
    }

    public Task<ResponseLine> RemoveAsync(Identity who, RemoveRequest request, ResponseWriter writer)
    {
        CheckNames(request.Names);
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
