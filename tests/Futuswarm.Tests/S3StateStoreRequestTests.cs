using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>What S3StateStore sends and how it reads S3's answers, seen from a loopback endpoint.</summary>
public sealed class S3StateStoreRequestTests : IDisposable
{
    private readonly FakeS3Server _s3 = new();
    private static readonly CancellationToken Ct = CancellationToken.None;

    private S3StateStore Store(string sse = StoreConfig.SseKms, string? kmsKeyId = null) => StateFactory.CreateS3Store(new StoreConfig
    {
        Kind = StoreConfig.S3, Bucket = "state-bucket", Prefix = "clusters/prod/", ServiceUrl = _s3.Url, ForcePathStyle = true,
        Region = "eu-north-1", ServerSideEncryption = sse, SseKmsKeyId = kmsKeyId,
    }, new BasicAWSCredentials("AKIDEXAMPLE", "secret"));

    [Fact]
    public async Task A_write_is_one_plain_signed_body_asking_for_SSE_KMS_with_the_key()
    {
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await Store(kmsKeyId: "arn:aws:kms:eu-north-1:111122223333:key/k1").WriteAsync("services/a/releases/000001.json", data, Ct);

        var put = Assert.Single(_s3.Requests);
        Assert.Equal("PUT", put.Method);
        Assert.Equal("/state-bucket/clusters/prod/services/a/releases/000001.json", put.Path);
        Assert.Equal(data, put.Body);
        Assert.Equal("aws:kms", put.Headers["x-amz-server-side-encryption"]);
        Assert.Equal("arn:aws:kms:eu-north-1:111122223333:key/k1", put.Headers["x-amz-server-side-encryption-aws-kms-key-id"]);
        // No aws-chunked framing (s3rver would store it as data): the signed payload hash is the body's own.
        Assert.DoesNotContain("aws-chunked", put.Headers["Content-Encoding"] ?? "");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), put.Headers["x-amz-content-sha256"]);
        Assert.Equal(data.Length.ToString(), put.Headers["Content-Length"]);
        Assert.Contains("/eu-north-1/s3/aws4_request", put.Headers["Authorization"]);
    }

    [Fact]
    public async Task SSE_KMS_without_a_key_and_AES256_are_asked_for_too()
    {
        await Store().WriteAsync("a.json", [1], Ct);
        await Store(StoreConfig.SseAes256).WriteAsync("b.json", [2], Ct);
        Assert.Equal("aws:kms", _s3.Requests[0].Headers["x-amz-server-side-encryption"]);
        Assert.Null(_s3.Requests[0].Headers["x-amz-server-side-encryption-aws-kms-key-id"]);
        Assert.Equal("AES256", _s3.Requests[1].Headers["x-amz-server-side-encryption"]);
        Assert.Null(_s3.Requests[1].Headers["x-amz-server-side-encryption-aws-kms-key-id"]);
    }

    [Fact]
    public async Task A_missing_key_is_null_but_a_missing_bucket_is_FSW5001()
    {
        _s3.Answer = _ => FakeS3Server.Error(404, "NoSuchKey");
        Assert.Null(await Store().ReadAsync("acl.json", Ct));

        _s3.Answer = _ => FakeS3Server.Error(404, "NoSuchBucket");
        var e = await Assert.ThrowsAsync<FswException>(() => Store().ReadAsync("acl.json", Ct));
        Assert.Equal(ErrorCodes.StoreFailed, e.Code);
        Assert.Contains("s3://state-bucket/clusters/prod/acl.json", e.Message);
        Assert.Contains("NoSuchBucket", e.Message);
    }

    [Fact]
    public async Task A_refused_write_is_FSW5001_with_S3s_code_and_without_the_data()
    {
        _s3.Answer = _ => FakeS3Server.Error(403, "AccessDenied");
        var e = await Assert.ThrowsAsync<FswException>(() => Store().WriteAsync("services/a/secrets/K/1.json", "the-secret-value"u8.ToArray(), Ct));
        Assert.Equal(ErrorCodes.StoreFailed, e.Code);
        Assert.Contains("write of s3://state-bucket/clusters/prod/services/a/secrets/K/1.json", e.Message);
        Assert.Contains("AccessDenied (HTTP 403)", e.Message);
        Assert.DoesNotContain("the-secret-value", e.ToString());
        Assert.Null(e.InnerException);
    }

    [Fact]
    public async Task A_list_follows_continuation_tokens_and_returns_sorted_keys_without_the_prefix()
    {
        _s3.Answer = r => r.Query["continuation-token"] is null
            ? ListPage(truncated: true, "clusters/prod/services/b/releases/000001.json", "clusters/prod/services/a/releases/000002.json")
            : ListPage(truncated: false, "clusters/prod/services/a/releases/000001.json");

        var keys = await Store().ListAsync("services", Ct);

        Assert.Equal(["services/a/releases/000001.json", "services/a/releases/000002.json", "services/b/releases/000001.json"], keys);
        Assert.Equal(2, _s3.Requests.Count);
        Assert.All(_s3.Requests, r => Assert.Equal("clusters/prod/services/", r.Query["prefix"]));
        Assert.Equal("2", _s3.Requests[0].Query["list-type"]);
        Assert.Equal("token-1", _s3.Requests[1].Query["continuation-token"]);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_FSW5001()
    {
        var url = _s3.Url;
        _s3.Dispose();
        var store = StateFactory.CreateS3Store(new StoreConfig { Kind = StoreConfig.S3, Bucket = "gone-bucket", ServiceUrl = url, ForcePathStyle = true },
            new BasicAWSCredentials("AKIDEXAMPLE", "secret"));
        var e = await Assert.ThrowsAsync<FswException>(() => store.ReadAsync("acl.json", Ct));
        Assert.Equal(ErrorCodes.StoreFailed, e.Code);
        Assert.Contains("s3://gone-bucket/acl.json", e.Message);
    }

    private static FakeS3Server.Reply ListPage(bool truncated, params string[] keys)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        xml.Append($"<Name>state-bucket</Name><KeyCount>{keys.Length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>");
        if (truncated) xml.Append("<NextContinuationToken>token-1</NextContinuationToken>");
        foreach (var k in keys) xml.Append($"<Contents><Key>{k}</Key><Size>1</Size></Contents>");
        return new FakeS3Server.Reply(200, xml.Append("</ListBucketResult>").ToString());
    }

    public void Dispose() => _s3.Dispose();
}
