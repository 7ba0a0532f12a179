using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.State;

/// <summary>
/// <see cref="IS3Resources"/> on AWSSDK.S3: a thin mapping, one SDK call per method. S3 answers a setting the
/// bucket lacks with an error (<c>NoSuchTagSet</c>, <c>ServerSideEncryptionConfigurationNotFoundError</c>,
/// <c>NoSuchPublicAccessBlockConfiguration</c>, <c>NoSuchBucketPolicy</c>); those read as "none", other errors
/// are a <see cref="CloudException"/> with S3's code.
/// </summary>
public sealed class AwsS3Resources(IAmazonS3 client) : IS3Resources
{
    public async Task<string?> GetBucketLocationAsync(string bucket, CancellationToken ct)
    {
        var response = await Absent("GetBucketLocation", () => client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, ct), "NoSuchBucket");
        if (response is null) return null;
        // S3 reports us-east-1 as no constraint and eu-west-1 by its legacy name.
        return (response.Location?.Value ?? "") switch
        {
            "" => "us-east-1",
            "EU" => "eu-west-1",
            var region => region,
        };
    }

    public async Task<IReadOnlyDictionary<string, string>> GetBucketTaggingAsync(string bucket, CancellationToken ct)
    {
        var response = await Absent("GetBucketTagging", () => client.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }, ct), "NoSuchTagSet");
        return new SortedDictionary<string, string>((response?.TagSet ?? []).ToDictionary(t => t.Key, t => t.Value), StringComparer.Ordinal);
    }

    public async Task<string> GetBucketVersioningAsync(string bucket, CancellationToken ct)
    {
        var response = await Call("GetBucketVersioning", () => client.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, ct));
        var status = response.VersioningConfig?.Status?.Value ?? "";
        return status == "Off" ? "" : status;
    }

    public async Task<BucketEncryption?> GetBucketEncryptionAsync(string bucket, CancellationToken ct)
    {
        var response = await Absent("GetBucketEncryption", () => client.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, ct),
            "ServerSideEncryptionConfigurationNotFoundError");
        var rule = response?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault();
        var byDefault = rule?.ServerSideEncryptionByDefault;
        if (byDefault is null) return null;
        return new BucketEncryption(byDefault.ServerSideEncryptionAlgorithm?.Value ?? "",
            string.IsNullOrEmpty(byDefault.ServerSideEncryptionKeyManagementServiceKeyId) ? null : byDefault.ServerSideEncryptionKeyManagementServiceKeyId,
            rule!.BucketKeyEnabled ?? false);
    }

    public async Task<PublicAccessBlock?> GetPublicAccessBlockAsync(string bucket, CancellationToken ct)
    {
        var response = await Absent("GetPublicAccessBlock", () => client.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, ct),
            "NoSuchPublicAccessBlockConfiguration");
        var c = response?.PublicAccessBlockConfiguration;
        return c is null ? null : new PublicAccessBlock(c.BlockPublicAcls ?? false, c.IgnorePublicAcls ?? false, c.BlockPublicPolicy ?? false, c.RestrictPublicBuckets ?? false);
    }

    public async Task<string?> GetBucketPolicyAsync(string bucket, CancellationToken ct)
    {
        var response = await Absent("GetBucketPolicy", () => client.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, ct), "NoSuchBucketPolicy");
        return string.IsNullOrEmpty(response?.Policy) ? null : response.Policy;
    }

    public async Task<bool> HasObjectVersionsAsync(string bucket, CancellationToken ct)
    {
        var response = await Call("ListObjectVersions", () => client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, MaxKeys = 1 }, ct));
        return (response.Versions?.Count ?? 0) > 0;
    }

    public Task CreateBucketAsync(string bucket, string region, CancellationToken ct)
    {
        // The SDK sends the location constraint, leaving it out for us-east-1 as S3 requires.
        var request = new PutBucketRequest { BucketName = bucket, UseClientRegion = false, BucketRegionName = region };
        return Call("CreateBucket", () => client.PutBucketAsync(request, ct));
    }

    public Task PutBucketTaggingAsync(string bucket, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        Call("PutBucketTagging", () => client.PutBucketTaggingAsync(new PutBucketTaggingRequest
        {
            BucketName = bucket,
            TagSet = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
        }, ct));

    public Task PutBucketVersioningAsync(string bucket, bool enabled, CancellationToken ct) =>
        Call("PutBucketVersioning", () => client.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = enabled ? VersionStatus.Enabled : VersionStatus.Suspended },
        }, ct));

    public Task PutBucketEncryptionAsync(string bucket, string kmsKeyArn, bool bucketKeyEnabled, CancellationToken ct) =>
        Call("PutBucketEncryption", () => client.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                        {
                            ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS,
                            ServerSideEncryptionKeyManagementServiceKeyId = kmsKeyArn,
                        },
                        BucketKeyEnabled = bucketKeyEnabled,
                    },
                ],
            },
        }, ct));

    public Task PutPublicAccessBlockAsync(string bucket, PublicAccessBlock block, CancellationToken ct) =>
        Call("PutPublicAccessBlock", () => client.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
            {
                BlockPublicAcls = block.BlockPublicAcls,
                IgnorePublicAcls = block.IgnorePublicAcls,
                BlockPublicPolicy = block.BlockPublicPolicy,
                RestrictPublicBuckets = block.RestrictPublicBuckets,
            },
        }, ct));

    public Task PutBucketPolicyAsync(string bucket, string policy, CancellationToken ct) =>
        Call("PutBucketPolicy", () => client.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = policy }, ct));

    public Task DeleteBucketAsync(string bucket, CancellationToken ct) =>
        Call("DeleteBucket", () => client.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }, ct));

    /// <summary>The call's answer, or null when S3 says the thing asked about does not exist.</summary>
    private static async Task<T?> Absent<T>(string name, Func<Task<T>> call, string absentCode) where T : class
    {
        try
        {
            return await Call(name, call);
        }
        catch (CloudException e) when (e.Code == absentCode)
        {
            return null;
        }
    }

    private static Task<T> Call<T>(string name, Func<Task<T>> call) => Aws.CloudCalls.Sdk(name, call);
}
