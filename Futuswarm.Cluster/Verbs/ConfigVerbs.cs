using Futuswarm.Cluster.Daemon;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>
/// config-set, config-unset, config-list: plain configuration set on the cluster. It overrides the project's
/// SwarmEnvironmentVariable values of the same name until it is unset, and deploys do not touch it.
/// </summary>
public sealed class ConfigVerbs(DaemonContext ctx)
{
    public Task<ResponseLine> SetAsync(Identity who, ConfigSetRequest request, ResponseWriter writer)
    {
        if (request.Values.Count == 0) throw new FswException(ErrorCodes.InvalidEnvironmentVariable, "The request sets no value; give at least one.");
        foreach (var (name, value) in request.Values)
        {
            if (Validation.CheckEnvironmentVariable(name, value) is { } reason)
                throw new FswException(ErrorCodes.InvalidEnvironmentVariable, $"The configuration value is not valid: {reason}.");
            if (value.Length == 0)
                throw new FswException(ErrorCodes.InvalidEnvironmentVariable, $"The value of '{name}' is empty; unset it instead (SwarmConfigUnset).");
        }
        return new ConfigurationChange(ctx).RunAsync(who, request.Service, request.TimeoutSeconds, writer, config =>
        {
            var env = new SortedDictionary<string, string>(config.Environment, StringComparer.Ordinal);
            foreach (var (k, v) in request.Values) env[k] = v;
            return Task.FromResult(config with { Environment = env });
        });
    }

    public Task<ResponseLine> UnsetAsync(Identity who, RemoveRequest request, ResponseWriter writer)
    {
        if (request.Names.Count == 0) throw new FswException(ErrorCodes.InvalidEnvironmentVariable, "The request names no value; give at least one.");
        return new ConfigurationChange(ctx).RunAsync(who, request.Service, request.TimeoutSeconds, writer, async config =>
        {
            foreach (var name in request.Names.Where(n => !config.Environment.ContainsKey(n)))
            {
                var project = (await ctx.Releases.LatestDoneAsync(request.Service, ctx.Lifetime))?.Spec.Environment;
                throw new FswException(ErrorCodes.SecretNotFound, project?.ContainsKey(name) == true
                    ? $"'{name}' of {request.Service} comes from the project (SwarmEnvironmentVariable), not from the cluster; remove it there and deploy."
                    : $"Service {request.Service} has no configuration value '{name}'; nothing was unset. SwarmConfigList shows its values.");
            }
            var env = new SortedDictionary<string, string>(config.Environment, StringComparer.Ordinal);
            foreach (var n in request.Names) env.Remove(n);
            return config with { Environment = env };
        });
    }

    public async Task<ResponseLine> ListAsync(Identity who, ServiceRequest request)
    {
        DeployRequestValidator.CheckServiceName(request.Service);
        var ct = ctx.Lifetime;
        await new ConfigurationChange(ctx).RequireKnownAsync(who, request.Service, ct);
        var cluster = (await ctx.ServiceConfigs.ReadAsync(request.Service, ct)).Environment;
        var project = (await ctx.Releases.LatestDoneAsync(request.Service, ct))?.Spec.Environment ?? new SortedDictionary<string, string>();
        var entries = cluster.Select(kv => new ConfigInfo { Name = kv.Key, Value = kv.Value, Source = "cluster" })
            .Concat(project.Select(kv => new ConfigInfo { Name = kv.Key, Value = kv.Value, Source = "project", Effective = !cluster.ContainsKey(kv.Key) }))
            .OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Source, StringComparer.Ordinal)
            .ToList();
        return new ResponseLine { Type = Wire.LineTypes.Result, Outcome = Wire.Outcomes.Listed, Service = request.Service, Config = entries };
    }
}
