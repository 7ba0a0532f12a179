using Futuswarm.Cluster.Provisioning.State;

namespace Futuswarm.Cluster.Provisioning.Fake;

public sealed partial class FakeStateCloud
{
    private sealed class Bucket(string name, string region)
    {
        public string Name { get; } = name;
        public string Region { get; } = region;
        public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
        public string Versioning { get; set; } = "";
        // S3's defaults for a bucket created since 2023: SSE-S3 and every public access block on.
        public BucketEncryption? Encryption { get; set; } = new("AES256", null, false);
        public PublicAccessBlock? PublicAccess { get; set; } = PublicAccessBlock.All;
        public string? Policy { get; set; }
        public List<string> ObjectVersions { get; } = [];
    }

    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Test helper: an object written to the bucket (by the cluster, not by provisioning).</summary>
    public void PutObject(string bucket, string key) => RequireBucket("PutObject", bucket).ObjectVersions.Add(key);

    /// <summary>Test helper for drift: default encryption deleted by hand (DeleteBucketEncryption; not a call of the interface).</summary>
    public void RemoveEncryption(string bucket) => RequireBucket("DeleteBucketEncryption", bucket).Encryption = null;

    /// <summary>Test helper for drift: the bucket policy deleted by hand.</summary>
    public void RemovePolicy(string bucket) => RequireBucket("DeleteBucketPolicy", bucket).Policy = null;

    public bool BucketExists(string bucket) => _buckets.ContainsKey(bucket);

    public Task<string?> GetBucketLocationAsync(string bucket, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(_buckets.GetValueOrDefault(bucket)?.Region);
    }

    public Task<IReadOnlyDictionary<string, string>> GetBucketTaggingAsync(string bucket, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(Snapshot(RequireBucket("GetBucketTagging", bucket).Tags));
    }

    public Task<string> GetBucketVersioningAsync(string bucket, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(RequireBucket("GetBucketVersioning", bucket).Versioning);
    }

    public Task<BucketEncryption?> GetBucketEncryptionAsync(string bucket, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(RequireBucket("GetBucketEncryption", bucket).Encryption);
    }

    public Task<PublicAccessBlock?> GetPublicAccessBlockAsync(string bucket, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(RequireBucket("GetPublicAccessBlock", bucket).PublicAccess);
    }

    public Task<string?> GetBucketPolicyAsync(string bucket, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(RequireBucket("GetBucketPolicy", bucket).Policy);
    }

    public Task<bool> HasObjectVersionsAsync(string bucket, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(RequireBucket("ListObjectVersions", bucket).ObjectVersions.Count > 0);
    }

    public Task CreateBucketAsync(string bucket, string region, CancellationToken ct)
    {
        Mutating("CreateBucket", $"{bucket} {region}");
        if (_buckets.ContainsKey(bucket)) throw Error("CreateBucket", "BucketAlreadyOwnedByYou", $"{bucket} already exists and is yours");
        if (region != Region) throw Error("CreateBucket", "IllegalLocationConstraintException", $"{region} does not match this endpoint's {Region}");
        _buckets[bucket] = new Bucket(bucket, region);
        return Task.CompletedTask;
    }

    public Task PutBucketTaggingAsync(string bucket, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("PutBucketTagging", $"{bucket} {string.Join(",", tags.Select(t => $"{t.Key}={t.Value}"))}");
        // The whole set is replaced, as S3 does.
        RequireBucket("PutBucketTagging", bucket).Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    public Task PutBucketVersioningAsync(string bucket, bool enabled, CancellationToken ct)
    {
        Mutating("PutBucketVersioning", $"{bucket} {(enabled ? "Enabled" : "Suspended")}");
        RequireBucket("PutBucketVersioning", bucket).Versioning = enabled ? "Enabled" : "Suspended";
        return Task.CompletedTask;
    }

    public Task PutBucketEncryptionAsync(string bucket, string kmsKeyArn, bool bucketKeyEnabled, CancellationToken ct)
    {
        Mutating("PutBucketEncryption", $"{bucket} aws:kms {kmsKeyArn}");
        var b = RequireBucket("PutBucketEncryption", bucket);
        RequireKey("PutBucketEncryption", kmsKeyArn);
        b.Encryption = new BucketEncryption("aws:kms", kmsKeyArn, bucketKeyEnabled);
        return Task.CompletedTask;
    }

    public Task PutPublicAccessBlockAsync(string bucket, PublicAccessBlock block, CancellationToken ct)
    {
        Mutating("PutPublicAccessBlock", $"{bucket} {block}");
        RequireBucket("PutPublicAccessBlock", bucket).PublicAccess = block;
        return Task.CompletedTask;
    }

    public Task PutBucketPolicyAsync(string bucket, string policy, CancellationToken ct)
    {
        Mutating("PutBucketPolicy", bucket);
        var b = RequireBucket("PutBucketPolicy", bucket);
        try { System.Text.Json.JsonDocument.Parse(policy).Dispose(); }
        catch (System.Text.Json.JsonException) { throw Error("PutBucketPolicy", "MalformedPolicy", "Policies must be valid JSON"); }
        b.Policy = policy;
        return Task.CompletedTask;
    }

    public Task DeleteBucketAsync(string bucket, CancellationToken ct)
    {
        Mutating("DeleteBucket", bucket);
        if (RequireBucket("DeleteBucket", bucket).ObjectVersions.Count > 0)
            throw Error("DeleteBucket", "BucketNotEmpty", "The bucket you tried to delete is not empty. You must delete all versions in the bucket.");
        _buckets.Remove(bucket);
        return Task.CompletedTask;
    }

    private Bucket RequireBucket(string call, string bucket) =>
        _buckets.TryGetValue(bucket, out var b) ? b : throw Error(call, "NoSuchBucket", "The specified bucket does not exist");
}
