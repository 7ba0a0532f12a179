using Futuswarm.Cluster.Provisioning.Compute;

namespace Futuswarm.Tests;

/// <summary>
/// User data for the compute tests only: a cloud-config that names the node and does nothing else. ClusterNodeUserData
/// is the real one (Docker, the join token from SSM, swarm join).
/// </summary>
internal sealed class TestNodeUserData(int padding = 0) : INodeUserData
{
    public string For(ComputeNode node) =>
        $"#cloud-config\n# futuswarm {node.Cluster} {node.RoleName} {node.Index} in {node.Zone} (test user data: boots, joins nothing)\n"
        + new string('#', padding);
}
