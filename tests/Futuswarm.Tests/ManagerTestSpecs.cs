using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Tests;

/// <summary>A first manager with manager services, and a runner for the manager steps on a fake node.</summary>
internal static class ManagerTestSpecs
{
    public const string Root = "/opt/futuswarm";

    public static int ArchiveCalls;

    public static ManagerServicesSpec Services(ServiceSupervisorKind supervisor = ServiceSupervisorKind.Systemd) => new()
    {
        Root = Root,
        DaemonConfigJson = "{\"clusterName\":\"test\",\"keepReleases\":5}",
        Bundle = new ManagerBundle("fp-" + new string('1', 16), _ => { Interlocked.Increment(ref ArchiveCalls); return Task.FromResult("tar.gz"u8.ToArray()); }),
        Launcher = [Root + "/lib/cluster/Futuswarm.Cluster"],
        ApiListenAddress = "10.0.1.5",
        Supervisor = supervisor,
    };

    public static NodeSpec Node(ManagerServicesSpec services, NodeRole role = NodeRole.FirstManager) => new()
    {
        Name = "manager-1",
        Role = role,
        ManagerAddress = role == NodeRole.FirstManager ? null : "10.0.1.4:2377",
        ManagerServices = services,
    };

    public static FakeManagerNode FakeNode(ManagerServicesSpec services) => new() { DaemonSocket = services.Paths.Socket };

    public static Task<IReadOnlyList<StepResult>> RunAsync(FakeManagerNode node, NodeSpec spec, List<string> log) =>
        NodeBootstrap.RunAsync(new NodeContext(node, node, spec, null, log.Add), NodeBootstrap.ManagerSteps);
}
