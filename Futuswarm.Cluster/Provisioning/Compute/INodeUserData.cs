namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>
/// The cloud-init text a node boots with (<see cref="ClusterNodeUserData"/>: the bootstrap, i.e. install Docker, read
/// the join token from SSM, join the swarm). Read once, at the first boot: a changed text is not drift, only new nodes get it.
/// </summary>
public interface INodeUserData
{
    /// <summary>The plain text (EC2 takes at most 16 KB before base64); the EC2 client encodes it.</summary>
    string For(ComputeNode node);
}
