using System.Net;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Swarm;

/// <summary>The few Docker Engine API calls the daemon makes, with engine errors turned into coded ones.</summary>
public sealed class SwarmGateway(DockerClient docker) : IDisposable
{
    public static SwarmGateway Connect(string socketPath) =>
        new(new DockerClientConfiguration(new Uri("unix://" + socketPath), defaultTimeout: TimeSpan.FromSeconds(60)).CreateClient());

    public async Task<SwarmService?> InspectAsync(string name, CancellationToken ct)
    {
        try { return await docker.Swarm.InspectServiceAsync(name, ct); }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { return null; }
    }

    public Task<ServiceCreateResponse> CreateAsync(ServiceSpec spec, CancellationToken ct) =>
        Engine(() => docker.Swarm.CreateServiceAsync(new ServiceCreateParameters { Service = spec }, ct), $"creating service {spec.Name}");

    public async Task UpdateAsync(string id, ulong version, ServiceSpec spec, CancellationToken ct)
    {
        try
        {
            await docker.Swarm.UpdateServiceAsync(id, new ServiceUpdateParameters { Service = spec, Version = (long)version }, ct);
        }
        catch (DockerApiException e) when (e.ResponseBody.Contains("update out of sequence", StringComparison.OrdinalIgnoreCase))
        {
            throw new FswException(ErrorCodes.ConcurrentChange, $"Service {spec.Name} was changed by someone else while this deploy ran (version {version} is stale). Deploy again.");
        }
        catch (DockerApiException e)
        {
            throw new FswException(ErrorCodes.EngineError, $"The engine refused updating service {spec.Name}: {e.ResponseBody.Trim()}");
        }
    }

    /// <summary>Ask the engine to roll the service back to its previous spec (what `docker service rollback` does).</summary>
    public Task RollbackAsync(SwarmService service, CancellationToken ct) =>
        Engine(() => docker.Swarm.UpdateServiceAsync(service.ID,
            new ServiceUpdateParameters { Service = service.Spec, Version = (long)service.Version.Index, Rollback = "previous" }, ct),
            $"rolling back service {service.Spec.Name}");

    public async Task RemoveAsync(string id, CancellationToken ct)
    {
        try { await docker.Swarm.RemoveServiceAsync(id, ct); }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { }
    }

    public async Task<IList<TaskResponse>> TasksAsync(string serviceName, CancellationToken ct) =>
        await Engine(() => docker.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [serviceName] = true } },
        }, ct), $"listing tasks of {serviceName}");

    /// <summary>The last lines a service's tasks wrote, for error reports. Best effort: an empty list when logs are unavailable.</summary>
    public Task<IReadOnlyList<string>> LastLogLinesAsync(string serviceId, int lines, CancellationToken ct) =>
        TailAsync(t => docker.Swarm.GetServiceLogsAsync(serviceId, false,
            new ServiceLogsParameters { ShowStdout = true, ShowStderr = true, Tail = Text(lines), Follow = false }, t), lines, ct);

    /// <summary>The last lines one container wrote (on this node only; best effort).</summary>
    public Task<IReadOnlyList<string>> ContainerLogLinesAsync(string containerId, int lines, CancellationToken ct) =>
        TailAsync(t => docker.Containers.GetContainerLogsAsync(containerId, false,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = Text(lines) }, t), lines, ct);

    /// <summary>Reads a log stream to its end within 5 s; logs are a courtesy in error reports, never a reason to fail.</summary>
    private static async Task<IReadOnlyList<string>> TailAsync(Func<CancellationToken, Task<MultiplexedStream>> open, int lines, CancellationToken ct)
    {
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromSeconds(5));
            using var stream = await open(cts.Token);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(cts.Token);
            return (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines).ToList();
        }
        catch (Exception e) when (e is DockerApiException or OperationCanceledException or IOException or HttpRequestException) { return []; }
    }

    private static string Text(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What a container's last health checks printed (on this node only; best effort).</summary>
    public async Task<IReadOnlyList<string>> HealthLogAsync(string containerId, CancellationToken ct)
    {
        try
        {
            var c = await docker.Containers.InspectContainerAsync(containerId, ct);
            return c.State?.Health?.Log?.TakeLast(3)
                .Select(h => $"health check at {h.Start:HH:mm:ss}: exit {h.ExitCode}: {h.Output.Trim()}").ToList() ?? [];
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or DockerContainerNotFoundException) { return []; }
    }

    /// <summary>Secrets the daemon made (by label); the engine's list has no label filter in this client.</summary>
    public async Task<IReadOnlyList<Secret>> ManagedSecretsAsync(CancellationToken ct)
    {
        var all = await Engine(() => docker.Secrets.ListAsync(ct), "listing secrets");
        return all.Where(s => s.Spec.Labels is { } l && l.TryGetValue(Labels.Managed, out var m) && m == "true").ToList();
    }

    /// <summary>Creates a secret; the engine keeps it encrypted in its raft log. Errors never carry the data.</summary>
    public Task<SecretCreateResponse> CreateSecretAsync(string name, byte[] data, IDictionary<string, string> labels, CancellationToken ct) =>
        Engine(() => docker.Secrets.CreateAsync(new SecretSpec { Name = name, Data = data, Labels = labels }, ct), $"creating secret {name}");

    /// <summary>False when the engine keeps it because a service still uses it.</summary>
    public async Task<bool> DeleteSecretAsync(string id, CancellationToken ct)
    {
        try { await docker.Secrets.DeleteAsync(id, ct); return true; }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { return true; }
        catch (DockerApiException) { return false; }
    }

    public async Task EnsureOverlayNetworkAsync(string name, CancellationToken ct)
    {
        var existing = await docker.Networks.ListNetworksAsync(new NetworksListParameters(), ct);
        if (existing.Any(n => n.Name == name)) return;
        await Engine(() => docker.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = name, Driver = "overlay", Attachable = true }, ct),
            $"creating overlay network {name}");
    }

    private static async Task<T> Engine<T>(Func<Task<T>> call, string what)
    {
        try { return await call(); }
        catch (DockerApiException e) { throw new FswException(ErrorCodes.EngineError, $"The Docker engine failed {what}: {e.ResponseBody.Trim()}"); }
        catch (HttpRequestException e) { throw new FswException(ErrorCodes.EngineError, $"The Docker engine is not reachable while {what}: {e.Message}"); }
    }

    public void Dispose() => docker.Dispose();
}
