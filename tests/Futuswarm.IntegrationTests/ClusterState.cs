using System.Text;
using Amazon.Runtime;
using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.State;

namespace Futuswarm.IntegrationTests;

/// <summary>The local cluster's state, opened as the daemon opens it (s3rver's bucket, with the acl.json mirror
/// sshd reads), for tests that check what the daemon wrote or add a user.</summary>
public static class ClusterState
{
    /// <summary>s3rver's fixed credentials (not secrets), as LocalCluster gives them to the daemon.</summary>
    public static AWSCredentials LocalS3Credentials { get; } = new BasicAWSCredentials("S3RVER", "S3RVER");

    public static IStateStore Store { get; } = StateFactory.CreateStore(TestCluster.Daemon,
        Native.GroupId("futuswarm-keys") is { } gid ? new Dictionary<string, int> { [AclRepository.Key] = gid } : null,
        TestCluster.Daemon.Store.Kind == StoreConfig.S3 ? LocalS3Credentials : null);

    public static async Task<string?> ReadTextAsync(string key) =>
        await Store.ReadAsync(key, CancellationToken.None) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    public static Task<IReadOnlyList<string>> ListAsync(string prefix) => Store.ListAsync(prefix, CancellationToken.None);
}
