using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Definition;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>
/// What a manager launched by this run needs to set up its own services at first boot: the inputs known before the
/// compute layer (bucket, KMS key, the database's endpoint if it exists already), the API host key's public half, and
/// the bundle for the managers' architecture, already in the state bucket (<see cref="ManagerBundleUpload"/>).
/// The private half of the host key is opened on the node, never here: user data holds no secret.
/// </summary>
public sealed record ManagerFirstBoot(ClusterDefinition Definition, ManagerInputs Inputs, string ApiHostKey, ManagerBundle Bundle, ManagerBundleObject Object)
{
    public ManagerServicesSpec For(ComputeNode node, string overlayNetwork)
    {
        var hostKey = new ApiHostKeySource(ApiHostKey,
            _ => throw new InvalidOperationException("at first boot the manager opens the API host key itself"));
        return ClusterManagerServices.For(Definition, Inputs, hostKey, Bundle, node.IsFirstManager, overlayNetwork)
            with { BundleObject = Object };
    }
}
