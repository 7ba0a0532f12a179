using System.Security.Cryptography;
using System.Text;

namespace Futuswarm.Cluster.Provisioning.Access;

/// <summary>
/// What the access resources need from the cluster definition: the cluster's name, its base domain (the wildcard
/// certificate's) and the first admin's OpenSSH public key (the EC2 key pair's).
/// </summary>
public sealed record AccessSpec(string Cluster, string BaseDomain, string AdminPublicKey)
{
    /// <summary>The EC2 key pair's name: unique per region, so it is found by name.</summary>
    public string KeyPairName => $"futuswarm-{Cluster}";

    public string CertificateDomain => $"*.{BaseDomain}";

    /// <summary>
    /// ACM's idempotency token (up to 32 word characters): the same for the same cluster and domain, so a request
    /// retried after a failure half-way answers the certificate already requested instead of a second one.
    /// </summary>
    public string IdempotencyToken =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{Cluster}\n{BaseDomain}")))[..32].ToLowerInvariant();
}
