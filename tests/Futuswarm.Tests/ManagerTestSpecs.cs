using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Tests;

/// <summary>A first manager with manager services, and a runner for the manager steps on a fake node.</summary>
internal static class ManagerTestSpecs
{
    public const string Root = "/opt/futuswarm";

    public static ManagerServicesSpec Services(ServiceSupervisorKind supervisor = ServiceSupervisorKind.Systemd) => new()
    {
        Root = Root,
        DaemonConfigJson = "{\"clusterName\":\"test\",\"keepReleases\":5}",
        Bundle = new ManagerBundle("fp-" + new string('1', 16), _ => Task.FromResult("tar.gz"u8.ToArray())),
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

    /// <summary>The manager steps (or only <paramref name="steps"/>) on the node, logging into <paramref name="log"/>.</summary>
    public static Task<IReadOnlyList<StepResult>> RunAsync(FakeManagerNode node, NodeSpec spec, List<string> log, params NodeStep[] steps) =>
        NodeBootstrap.RunAsync(new NodeContext(node, node, spec, null, log.Add), steps.Length > 0 ? steps : NodeBootstrap.ManagerSteps);

    /// <summary>One step on the node: its result.</summary>
    public static async Task<StepResult> RunStepAsync(FakeManagerNode node, NodeSpec spec, List<string> log, NodeStep step) =>
        Assert.Single(await RunAsync(node, spec, log, step));
}
