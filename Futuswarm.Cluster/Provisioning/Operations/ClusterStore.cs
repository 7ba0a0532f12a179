using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>
/// The cluster's store as provisioning sees it, once the state layer exists: the bucket, and the cipher that seals
/// values under the cluster's KMS key. Provisioning writes what must outlive the machines there (the first admins,
/// the API host key, the database admin's password), never on the operator's disk.
/// </summary>
public sealed record ClusterStore(string Cluster, IStateStore Store, EnvelopeCipher Cipher);

/// <summary>Opens the store of a cluster whose bucket and key exist (after the state layer's apply).</summary>
public interface IClusterStoreOpener
{
    ClusterStore Open(string cluster, string bucket, string kmsKeyArn);
}

/// <summary>The real bucket and KMS key, on the operator's default credential chain.</summary>
public sealed class AwsClusterStoreOpener(Amazon.RegionEndpoint region) : IClusterStoreOpener
{
    public ClusterStore Open(string cluster, string bucket, string kmsKeyArn)
    {
        var s3 = new Amazon.S3.AmazonS3Client(region);
        var kms = new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(region);
        // The same settings the managers' daemon uses: SSE-KMS with the cluster key on every write.
        var store = new S3StateStore(s3, bucket, "", "aws:kms", kmsKeyArn);
        return new ClusterStore(cluster, store, new EnvelopeCipher(new KmsKeyProvider(kms, kmsKeyArn)));
    }
}
