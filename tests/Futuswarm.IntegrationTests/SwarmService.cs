using Docker.DotNet;
using Docker.DotNet.Models;

namespace Futuswarm.IntegrationTests;

/// <summary>What the engine says about a service: its image and spec version (a no-op must not bump it).</summary>
public static class SwarmService
{
    public static async Task<Docker.DotNet.Models.SwarmService?> InspectAsync(string name)
    {
        using var docker = TestCluster.Docker();
        try { return await docker.Swarm.InspectServiceAsync(name); }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }

    public static async Task RemoveAsync(string name)
    {
        using var docker = TestCluster.Docker();
        try { await docker.Swarm.RemoveServiceAsync(name); }
        catch (DockerApiException) { }
    }
}
