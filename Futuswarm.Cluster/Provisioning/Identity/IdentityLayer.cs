using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Identity;

/// <summary>
/// The nodes' identity: the two IAM roles (each with its one inline policy), then their instance profiles.
/// Destroy runs the reverse: profiles emptied and deleted, then policies and roles.
/// </summary>
public static class IdentityLayer
{
    public static Reconciler For(IIamApi iam, IdentitySpec spec)
    {
        spec.Validate();
        return new Reconciler([new IamRoleKind(iam, spec), new InstanceProfileKind(iam, spec)]);
    }
}
