using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>What the manager services part of a run did: managers set up (or found in place), and managers left for
/// the next run because they have not printed their host keys yet.</summary>
public sealed record ManagerInstallReport(IReadOnlyList<string> Done, IReadOnlyList<string> Waiting, bool Changed);

/// <summary>
/// The managers' own services (<see cref="NodeBootstrap.ManagerSteps"/>) on the cluster's running managers, over SSH
/// with each host key read from the instance's console, after the swarm part of the run. Not in cloud-init: the
/// binaries come from the operator's build and the API host key from the store the operator opens. Each manager gets
/// the self-contained bundle for the architecture its machine reports.
/// </summary>
public sealed class ClusterManagerInstall(ConsoleReader console, NodeConnector connect, Action<string> log)
{
    /// <param name="specOf">The node's bootstrap spec (as the swarm part builds it).</param>
    /// <param name="servicesOf">Its manager services, for the runtime identifier of its machine (linux-x64, linux-arm64).</param>
    public async Task<ManagerInstallReport> RunAsync(IReadOnlyList<ClusterNode> nodes, Func<ClusterNode, NodeSpec> specOf,
        Func<ClusterNode, string, ManagerServicesSpec> servicesOf, CancellationToken ct)
    {
        List<string> done = [], waiting = [];
        var changed = false;
        foreach (var node in nodes.Where(n => n.IsManager && n.State == "running"))
        {
            if (await ConsoleHostKey.ReadAsync(console, node, ct) is not { } key)
            {
                log($"[managers] {node.Address} ({node.InstanceId}) has not printed its host keys yet (first boot): left for the next RepairCluster");
                waiting.Add(node.Address);
                continue;
            }
            using var shell = await connect(node, key, ct);
            var machine = await shell.RunAsync(["uname", "-m"], null, ct);
            var rid = ClusterManagerServices.RidOf(machine.Ok ? machine.StdOut : "", $"{node.Address} ({node.InstanceId})");
            var spec = specOf(node) with { ManagerServices = servicesOf(node, rid) };
            log($"[managers] {node.Address} ({node.InstanceId}, {rid}): the manager services");
            var results = await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, log), NodeBootstrap.ManagerSteps, ct);
            changed |= results.Any(r => r.Changed);
            done.Add(node.Address);
        }
        return new ManagerInstallReport(done, waiting, changed);
    }
}
