using System.Text.Json;
using Docker.DotNet.Models;

namespace Futuswarm.IntegrationTests;

/// <summary>The edge keeps its routes across a proxy restart; every request lands in the audit log.</summary>
public sealed class EdgeAndAuditTests : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("edge"));

    [Fact]
    public async Task Routes_come_back_after_the_proxy_restarts()
    {
        var deploy = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(deploy.ExitCode == 0, deploy.Output);
        Assert.Equal(200, (await Edge.WaitForAsync(_app.ServiceName, _ => true)).Status);

        // Restart the proxy the way a node reboot or a crash would: a new task from the same spec.
        using (var docker = TestCluster.Docker())
        {
            var edge = await docker.Swarm.InspectServiceAsync("futuswarm-edge");
            var spec = edge.Spec;
            spec.TaskTemplate.ForceUpdate++;
            await docker.Swarm.UpdateServiceAsync(edge.ID, new ServiceUpdateParameters { Service = spec, Version = (long)edge.Version.Index });
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(2000);
        var answer = await Edge.WaitForAsync(_app.ServiceName, b => b.Contains("Hello"), TimeSpan.FromSeconds(60));
        Figures.Record($"edge restart: route answered again {watch.Elapsed.TotalSeconds:0.0} s after the restart began");
        Assert.Equal(200, answer.Status);
        Assert.Equal(404, (await Edge.GetAsync($"unknown-{Guid.NewGuid():N}.localhost")).Status);
    }

    [Fact]
    public async Task Every_request_is_audited_with_user_verb_service_and_outcome()
    {
        var prefix = $"audit/{DateTime.UtcNow:yyyy-MM-dd}/";
        var before = (await ClusterState.ListAsync(prefix)).ToHashSet();
        var (stdout, _) = await RawSsh.SendAsync("status", $"{{\"protocol\":1,\"service\":\"{_app.ServiceName}\"}}");
        Assert.Contains("\"type\":\"result\"", stdout);

        var added = (await ClusterState.ListAsync(prefix)).Where(k => !before.Contains(k)).ToList();
        var entries = new List<JsonElement>();
        foreach (var key in added) entries.Add(JsonDocument.Parse((await ClusterState.ReadTextAsync(key))!).RootElement);
        var entry = Assert.Single(entries, e => e.GetProperty("service").GetString() == _app.ServiceName);
        Assert.Equal("status", entry.GetProperty("verb").GetString());
        Assert.Equal("admin", entry.GetProperty("user").GetString());
        Assert.StartsWith("SHA256:", entry.GetProperty("keyFingerprint").GetString());
        Assert.Equal("status", entry.GetProperty("outcome").GetString());
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
