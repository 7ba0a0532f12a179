namespace Futuswarm.Cluster.Provisioning.State;

/// <summary>A bucket's default encryption: the algorithm (<c>aws:kms</c>, <c>AES256</c>), the KMS key and S3 Bucket Keys.</summary>
public sealed record BucketEncryption(string Algorithm, string? KmsKeyId, bool BucketKeyEnabled);

/// <summary>The four switches of S3 Block Public Access.</summary>
public sealed record PublicAccessBlock(bool BlockPublicAcls, bool IgnorePublicAcls, bool BlockPublicPolicy, bool RestrictPublicBuckets)
{
    public static PublicAccessBlock All { get; } = new(true, true, true, true);

    public override string ToString() =>
        $"block_public_acls={Lower(BlockPublicAcls)} ignore_public_acls={Lower(IgnorePublicAcls)} "
        + $"block_public_policy={Lower(BlockPublicPolicy)} restrict_public_buckets={Lower(RestrictPublicBuckets)}";

    private static string Lower(bool b) => b ? "true" : "false";
}

/// <summary>
/// Exactly the S3 calls the state bucket uses, one method per API action. AwsS3Resources maps them onto
/// AmazonS3Client; FakeStateCloud keeps an in-memory S3 behind them. Reads of a setting the bucket does not
/// have answer null (or empty) instead of S3's error; other failures are CloudException with S3's error code.
/// </summary>
public interface IS3Resources
{
    /// <summary>The bucket's region, or null when no bucket has the name (<c>NoSuchBucket</c>).</summary>
    Task<string?> GetBucketLocationAsync(string bucket, CancellationToken ct);
    Task<IReadOnlyDictionary<string, string>> GetBucketTaggingAsync(string bucket, CancellationToken ct);
    /// <summary><c>Enabled</c>, <c>Suspended</c> or empty (never enabled).</summary>
    Task<string> GetBucketVersioningAsync(string bucket, CancellationToken ct);
    Task<BucketEncryption?> GetBucketEncryptionAsync(string bucket, CancellationToken ct);
    Task<PublicAccessBlock?> GetPublicAccessBlockAsync(string bucket, CancellationToken ct);
    Task<string?> GetBucketPolicyAsync(string bucket, CancellationToken ct);
    /// <summary>Whether any object version or delete marker is left (one ListObjectVersions of one key).</summary>
    Task<bool> HasObjectVersionsAsync(string bucket, CancellationToken ct);

    Task CreateBucketAsync(string bucket, string region, CancellationToken ct);
    Task PutBucketTaggingAsync(string bucket, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task PutBucketVersioningAsync(string bucket, bool enabled, CancellationToken ct);
    Task PutBucketEncryptionAsync(string bucket, string kmsKeyArn, bool bucketKeyEnabled, CancellationToken ct);
    Task PutPublicAccessBlockAsync(string bucket, PublicAccessBlock block, CancellationToken ct);
    Task PutBucketPolicyAsync(string bucket, string policy, CancellationToken ct);
    Task DeleteBucketAsync(string bucket, CancellationToken ct);
}
