using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Access;

/// <summary>The reconciler for the cluster's access resources: the admins' SSH key pair, then the wildcard certificate.</summary>
public static class AccessLayer
{
    public static Reconciler For(IEc2KeyPairs ec2, IAcmApi acm, IAcmTags acmTags, AccessSpec spec) =>
        new([new KeyPairKind(ec2, spec), new CertificateKind(acm, acmTags, spec)]);
}
