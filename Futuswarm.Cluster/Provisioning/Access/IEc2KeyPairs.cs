namespace Futuswarm.Cluster.Provisioning.Access;

/// <summary>A key pair as EC2 describes it. <see cref="Fingerprint"/> is EC2's (see <see cref="KeyFingerprint"/>).</summary>
public sealed record KeyPairInfo(string KeyName, string KeyPairId, string Fingerprint, IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// Exactly the EC2 key-pair calls the cluster uses (kept apart from IEc2Network). AwsEc2KeyPairs maps them onto
/// AmazonEC2Client, FakeKeyPairs keeps them in memory. Failures are CloudException with EC2's error code.
/// </summary>
public interface IEc2KeyPairs
{
    /// <summary>The key pair of that name, or null (a filter, not KeyNames, so a missing one is not an error).</summary>
    Task<KeyPairInfo?> DescribeKeyPairAsync(string keyName, CancellationToken ct);

    /// <summary>Imports an OpenSSH public key ("ssh-ed25519 AAAA... comment"), tagged at import.</summary>
    Task<KeyPairInfo> ImportKeyPairAsync(string keyName, string publicKey, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

    Task CreateTagsAsync(string keyPairId, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

    Task DeleteKeyPairAsync(string keyPairId, CancellationToken ct);
}
