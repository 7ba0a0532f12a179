using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.State;

namespace Futuswarm.IntegrationTests;

/// <summary>A fresh bucket on the local cluster's s3rver for one test class, emptied and removed afterwards.</summary>
public sealed class S3TestBucket : IAsyncLifetime
{
    public static AWSCredentials Credentials => ClusterState.LocalS3Credentials;

    public string Name { get; } = "fsw-test-" + Guid.NewGuid().ToString("N")[..12];
    public string ServiceUrl { get; } = TestCluster.Daemon.Store.ServiceUrl ?? "http://127.0.0.1:4569";
    /// <summary>Where s3rver keeps this bucket's objects: &lt;key&gt;._S3rver_object holds the stored bytes.</summary>
    public string DataDirectory => Path.Combine(TestCluster.Root, "s3rver", "data", Name);

    public AmazonS3Client Client { get; }

    public S3TestBucket() => Client = new AmazonS3Client(Credentials,
        new AmazonS3Config { ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    public StoreConfig Config(string prefix = "", string? bucket = null) => new()
    {
        Kind = StoreConfig.S3, Bucket = bucket ?? Name, Prefix = prefix, ServiceUrl = ServiceUrl, ForcePathStyle = true, Region = "us-east-1",
    };

    public S3StateStore Store(string prefix = "") => StateFactory.CreateS3Store(Config(prefix), Credentials);

    public async Task InitializeAsync() => await Client.PutBucketAsync(new PutBucketRequest { BucketName = Name });

    public async Task DisposeAsync()
    {
        var request = new ListObjectsV2Request { BucketName = Name };
        while (true)
        {
            var page = await Client.ListObjectsV2Async(request);
            foreach (var o in page.S3Objects ?? []) await Client.DeleteObjectAsync(Name, o.Key);
            if (page.IsTruncated != true) break;
            request.ContinuationToken = page.NextContinuationToken;
        }
        await Client.DeleteBucketAsync(Name);
        Client.Dispose();
    }
}
