using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// The cluster's store for runs against the fake clouds: a directory per bucket and a local key file instead of
/// S3 and KMS (the real S3 store and KMS provider have their own contract tests). Made under
/// <paramref name="root"/>, or a fresh temporary folder on first use.
/// </summary>
public sealed class FakeClusterStores(string? root = null) : IClusterStoreOpener
{
    private string? _root = root;

    public string Root => _root ??= Directory.CreateTempSubdirectory("futuswarm-fake-stores-").FullName;

    /// <summary>The bucket's directory: tests read what provisioning stored there.</summary>
    public string BucketDirectory(string bucket) => Path.Combine(Root, bucket);

    public ClusterStore Open(string cluster, string bucket, string kmsKeyArn)
    {
        Directory.CreateDirectory(Root);
        var keyFile = Path.Combine(Root, "master.key");
        if (!File.Exists(keyFile)) LocalKeyProvider.CreateKeyFile(keyFile);
        return new ClusterStore(cluster, new LocalDirectoryStore(BucketDirectory(bucket)), new EnvelopeCipher(LocalKeyProvider.Load(keyFile)));
    }
}
