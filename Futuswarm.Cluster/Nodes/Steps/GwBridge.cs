namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>Swarm mode would create docker_gwbridge under the interface name "docker_gwbridge"; creating it first under
/// our own name keeps two engines on one host off each other's interface (the local cluster's case).</summary>
static class GwBridge
{
    public static async Task EnsureAsync(NodeContext ctx, GwBridgeSpec gw, CancellationToken ct)
    {
        var inspect = await ctx.Node.RunAsync(ctx.Spec.Docker("network", "inspect", "docker_gwbridge", "--format",
            "{{index .Options \"com.docker.network.bridge.name\"}}"), null, ct);
        if (inspect.Ok)
        {
            ctx.Log($"[{ctx.Node.Name}] docker_gwbridge: exists (interface {(inspect.StdOut.Trim() is { Length: > 0 } i ? i : "docker_gwbridge")}), skip");
            return;
        }
        await ctx.MustAsync("swarm", ctx.Node, ctx.Spec.Docker("network", "create", "--driver", "bridge", "--subnet", gw.Subnet,
            "--opt", "com.docker.network.bridge.name=" + gw.InterfaceName,
            "--opt", "com.docker.network.bridge.enable_icc=false",
            "--opt", "com.docker.network.bridge.enable_ip_masquerade=true",
            "docker_gwbridge"), ct);
        ctx.Log($"[{ctx.Node.Name}] docker_gwbridge: created (interface {gw.InterfaceName}, {gw.Subnet})");
    }
}
