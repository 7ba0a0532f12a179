using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.State;

/// <summary>
/// The state in an S3 bucket (DESIGN.md section 6): one object per key, under a key prefix. Correctness needs
/// neither bucket versioning nor conditional writes (s3rver has neither): the daemon serializes writes.
/// Errors are FSW5001 naming the bucket, the key and S3's error code, never the data.
/// </summary>
public sealed class S3StateStore : IStateStore
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly ServerSideEncryptionMethod _sse;
    private readonly string? _kmsKeyId;

    /// <param name="prefix">"" or segments ending in '/', e.g. "clusters/prod/".</param>
    /// <param name="sse">"aws:kms" or "AES256": asked for on every write, as the bucket policy on AWS requires.</param>
    /// <param name="kmsKeyId">The KMS key for aws:kms; null lets S3 use its AWS-managed key.</param>
    public S3StateStore(IAmazonS3 s3, string bucket, string prefix, string sse, string? kmsKeyId)
    {
        _s3 = s3;
        _bucket = bucket;
        _prefix = prefix;
        _sse = ServerSideEncryptionMethod.FindValue(sse);
        _kmsKeyId = kmsKeyId;
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken ct)
    {
        var full = ObjectKey(key);
        try
        {
            using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = full }, ct);
            using var buffer = new MemoryStream(response.ContentLength is > 0 and < int.MaxValue ? (int)response.ContentLength : 0);
            await response.ResponseStream.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }
        // A missing bucket is also a 404, but it is a broken store, not a missing key.
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey" || (e.StatusCode == HttpStatusCode.NotFound && string.IsNullOrEmpty(e.ErrorCode)))
        {
            return null;
        }
        catch (Exception e) when (IsStoreError(e, ct)) { throw Failed("read", full, e); }
    }

    public async Task WriteAsync(string key, byte[] data, CancellationToken ct)
    {
        var full = ObjectKey(key);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = full,
            InputStream = new MemoryStream(data, writable: false),
            ContentType = "application/octet-stream",
            // aws-chunked framing would be stored inside the object by s3rver (TESTBED.md): silent corruption.
            UseChunkEncoding = false,
            ServerSideEncryptionMethod = _sse,
        };
        if (_kmsKeyId is not null) request.ServerSideEncryptionKeyManagementServiceKeyId = _kmsKeyId;
        try { await _s3.PutObjectAsync(request, ct); }
        catch (Exception e) when (IsStoreError(e, ct)) { throw Failed("write", full, e); }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct)
    {
        // "" lists everything; "a" and "a/" both mean the keys under a/, as in the directory store (never "ab/...").
        var full = _prefix + (prefix.Length == 0 ? "" : Valid(prefix.TrimEnd('/')) + "/");
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = full };
        try
        {
            while (true)
            {
                var page = await _s3.ListObjectsV2Async(request, ct);
                foreach (var o in page.S3Objects ?? [])
                    if (o.Key.StartsWith(_prefix, StringComparison.Ordinal)) keys.Add(o.Key[_prefix.Length..]);
                if (page.IsTruncated != true) break;
                if (string.IsNullOrEmpty(page.NextContinuationToken))
                    throw new FswException(ErrorCodes.StoreFailed, $"S3 list of s3://{_bucket}/{full} failed: a truncated page came without a continuation token.");
                request.ContinuationToken = page.NextContinuationToken;
            }
        }
        catch (Exception e) when (IsStoreError(e, ct)) { throw Failed("list", full, e); }
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>S3 answers a delete of a missing key with success, so this is idempotent by itself.</summary>
    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        var full = ObjectKey(key);
        try { await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = full }, ct); }
        catch (Exception e) when (IsStoreError(e, ct)) { throw Failed("delete", full, e); }
    }

    /// <summary>The same rules as the directory store, so a key valid in one is valid in the other.</summary>
    private static string Valid(string key) =>
        key.Length == 0 || key.StartsWith('/') || key.Split('/').Any(p => p is "" or "." or "..")
            ? throw new ArgumentException($"Invalid store key '{key}'.", nameof(key))
            : key;

    private string ObjectKey(string key) => _prefix + Valid(key);

    // The caller's own cancellation passes through; an SDK timeout (also a cancellation) is a store failure.
    private static bool IsStoreError(Exception e, CancellationToken ct) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
        || (e is OperationCanceledException && !ct.IsCancellationRequested);

    private FswException Failed(string operation, string objectKey, Exception e) => e switch
    {
        AmazonServiceException s => new FswException(ErrorCodes.StoreFailed,
            $"S3 {operation} of s3://{_bucket}/{objectKey} failed with {(string.IsNullOrEmpty(s.ErrorCode) ? "an error" : s.ErrorCode)} " +
            $"(HTTP {(int)s.StatusCode}). Check the bucket, the endpoint and the manager's S3 permissions."),
        _ => new FswException(ErrorCodes.StoreFailed,
            $"S3 {operation} of s3://{_bucket}/{objectKey} failed before S3 answered ({e.GetType().Name}: {e.Message}). " +
            "Check that the S3 endpoint is reachable and that the manager has credentials."),
    };
}
