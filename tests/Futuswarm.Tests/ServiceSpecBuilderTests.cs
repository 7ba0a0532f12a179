using Docker.DotNet.Models;
using Futuswarm.Cluster.Swarm;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

public class ServiceSpecBuilderTests
{
    private const string Image = "localhost:5000/hello-swarm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Network = "futuswarm-edge";

    private static ServiceSettings Settings(int? port = 8080, string health = "/health") => new()
    {
        Replicas = 2,
        Port = port,
        HealthCheckPath = health,
        Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["HELLO"] = "world", ["A_B"] = "x=y" },
    };

    private static ServiceSpec Build(ServiceSettings? settings = null) =>
        ServiceSpecBuilder.Build("hello-swarm", Image, settings ?? Settings(), 3, "sha256:content", "sha256:spec", SpecHash.Template(Image, settings ?? Settings()), Network, ["node.role==manager"]);

    private static long Ns(TimeSpan t) => (long)t.TotalNanoseconds;

    [Fact]
    public void NameImageAndReplicas()
    {
        var spec = Build();
        Assert.Equal("hello-swarm", spec.Name);
        Assert.Equal(Image, spec.TaskTemplate.ContainerSpec.Image);
        Assert.Equal(2UL, spec.Mode.Replicated.Replicas);
        Assert.Null(spec.Mode.Global);
        Assert.Equal(["node.role==manager"], spec.TaskTemplate.Placement.Constraints);
    }

    [Fact]
    public void UpdateConfigIsStartFirstWithRollback()
    {
        var u = Build().UpdateConfig;
        Assert.Equal("start-first", u.Order);
        Assert.Equal("rollback", u.FailureAction);
        Assert.True(u.Monitor > 0, "a monitor window is needed to detect failing tasks");
        Assert.True(u.Parallelism >= 1);
    }

    [Fact]
    public void RollbackConfigIsStartFirstAndPausesOnFailure()
    {
        var r = Build().RollbackConfig;
        Assert.Equal("start-first", r.Order);
        Assert.Equal("pause", r.FailureAction);
        Assert.True(r.Monitor > 0);
        Assert.True(r.Parallelism >= 1);
    }

    [Fact]
    public void EndpointIsDnsrrWithoutPublishedPorts()
    {
        var e = Build().EndpointSpec;
        Assert.Equal("dnsrr", e.Mode);
        Assert.True(e.Ports is null || e.Ports.Count == 0, "app services publish no ports: the edge reaches them on the overlay");
    }

    [Fact]
    public void AttachesToTheEdgeNetwork()
    {
        var networks = Build().TaskTemplate.Networks;
        var n = Assert.Single(networks);
        Assert.Equal(Network, n.Target);
    }

    [Fact]
    public void HealthCheckRunsTheProbeInExecForm()
    {
        var h = Build().TaskTemplate.ContainerSpec.Healthcheck;
        Assert.NotNull(h);
        Assert.Equal(["CMD", "dotnet", "/app/futuswarm-probe.dll", "http://127.0.0.1:8080/health"], h.Test);
        Assert.True(h.Interval > TimeSpan.Zero && h.Interval <= TimeSpan.FromSeconds(2), $"interval {h.Interval}");
        Assert.True(h.Timeout > TimeSpan.Zero, "timeout must be set");
        Assert.True(h.Retries > 0, "retries must be set");
        Assert.True(h.StartPeriod > 0, "start period must be set");
    }

    [Fact]
    public void HealthCheckFollowsPortAndPath()
    {
        var h = Build(Settings(port: 5000, health: "/")).TaskTemplate.ContainerSpec.Healthcheck;
        Assert.Equal("http://127.0.0.1:5000/", h.Test[^1]);
    }

    [Fact]
    public void WorkerHasNoHealthCheck() => Assert.Null(Build(Settings(port: null)).TaskTemplate.ContainerSpec.Healthcheck);

    [Fact]
    public void RoutedServiceEnvironment()
    {
        var env = Build().TaskTemplate.ContainerSpec.Env;
        Assert.Equal(
            new[] { "A_B=x=y", "ASPNETCORE_FORWARDEDHEADERS_ENABLED=true", "ASPNETCORE_HTTP_PORTS=8080", "HELLO=world" }.Order(StringComparer.Ordinal),
            env.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WorkerEnvironmentIsOnlyTheUsersVariables()
    {
        var env = Build(Settings(port: null)).TaskTemplate.ContainerSpec.Env;
        Assert.Equal(new[] { "A_B=x=y", "HELLO=world" }.Order(StringComparer.Ordinal), env.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(env, e => e.StartsWith("ASPNETCORE_", StringComparison.Ordinal));
    }

    [Fact]
    public void ServiceLabels()
    {
        var labels = Build().Labels;
        Assert.Equal("sha256:spec", labels["futuswarm.spec-hash"]);
        Assert.Equal("sha256:content", labels["futuswarm.content-key"]);
        Assert.Equal("3", labels["futuswarm.release"]);
        Assert.Equal("true", labels["futuswarm.managed"]);
    }

    [Fact]
    public void ContainerLabelsCarryTheTemplateHash()
    {
        var settings = Settings();
        var labels = Build(settings).TaskTemplate.ContainerSpec.Labels;
        Assert.Equal(SpecHash.Template(Image, settings), labels[Labels.TemplateHash]);
        Assert.Equal("true", labels[Labels.Managed]);
    }

    [Fact]
    public void StopGracePeriodCoversAspNetCoreShutdown()
    {
        var grace = Build().TaskTemplate.ContainerSpec.StopGracePeriod;
        Assert.NotNull(grace);
        Assert.True(grace >= Ns(TimeSpan.FromSeconds(30)), $"stop grace period {grace} ns");
    }

    [Fact]
    public void NoMountsPrivilegesOrCapabilities()
    {
        var c = Build().TaskTemplate.ContainerSpec;
        Assert.True(c.Mounts is null || c.Mounts.Count == 0, "no mounts");
        Assert.Null(c.Privileges);
        Assert.True(c.CapabilityAdd is null || c.CapabilityAdd.Count == 0, "no added capabilities");
        Assert.True(c.Secrets is null || c.Secrets.Count == 0);
        Assert.True(c.Configs is null || c.Configs.Count == 0);
        Assert.Null(c.User);
    }

    [Fact]
    public void TasksRestart()
    {
        var p = Build().TaskTemplate.RestartPolicy;
        Assert.Equal("any", p.Condition);
    }

    [Fact]
    public void SameInputSameSpec()
    {
        var a = Newtonsoft.Json.JsonConvert.SerializeObject(Build());
        var b = Newtonsoft.Json.JsonConvert.SerializeObject(Build());
        Assert.Equal(a, b);
    }
}
