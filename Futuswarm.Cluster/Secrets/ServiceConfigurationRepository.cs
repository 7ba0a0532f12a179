using Futuswarm.Cluster.State;

namespace Futuswarm.Cluster.Secrets;

/// <summary>services/&lt;svc&gt;/config.json.</summary>
public sealed class ServiceConfigurationRepository(IStateStore store)
{
    private static string Key(string service) => $"services/{service}/config.json";

    public async Task<ServiceConfiguration> ReadAsync(string service, CancellationToken ct) =>
        await store.ReadAsync<ServiceConfiguration>(Key(service), ct) ?? ServiceConfiguration.Empty;

    public Task WriteAsync(string service, ServiceConfiguration config, CancellationToken ct) => store.WriteAsync(Key(service), config, ct);
}
