using System.Text;
using Amazon.Runtime;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.IntegrationTests;

/// <summary>
/// The store contract on S3, against the local cluster's s3rver (what the daemon uses there): one fresh bucket
/// for the class, each test under a key prefix of its own, so the prefix is exercised by every test.
/// </summary>
public sealed class S3StateStoreContractTests(S3TestBucket bucket) : StateStoreContract, IClassFixture<S3TestBucket>
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _prefix = $"clusters/t-{Guid.NewGuid():N}/";
    private S3StateStore? _store;

    protected override IStateStore Store => _store ??= bucket.Store(_prefix);

    [Fact]
    public async Task The_object_on_s3rvers_disk_is_the_bytes_written()
    {
        // Without UseChunkEncoding = false the SDK sends aws-chunked framing, which s3rver would store as data.
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await Store.WriteAsync("services/a/secrets/K/01.json", data, Ct);
        var file = Path.Combine(bucket.DataDirectory, _prefix + "services/a/secrets/K/01.json._S3rver_object");
        Assert.Equal(data, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Keys_live_under_the_prefix_and_come_back_without_it()
    {
        await Store.WriteAsync("acl.json", "{}"u8.ToArray(), Ct);
        var whole = bucket.Store();
        Assert.Equal([_prefix + "acl.json"], await whole.ListAsync(_prefix, Ct));
        Assert.Equal("{}", Encoding.UTF8.GetString((await whole.ReadAsync(_prefix + "acl.json", Ct))!));
        Assert.Equal(["acl.json"], await Store.ListAsync("", Ct));
        Assert.Empty(await bucket.Store("clusters/other/").ListAsync("", Ct));
    }

    [Theory]
    [InlineData(StoreConfig.SseKms, "arn:aws:kms:us-east-1:111122223333:key/test")]
    [InlineData(StoreConfig.SseKms, null)]
    [InlineData(StoreConfig.SseAes256, null)]
    public async Task Writes_asking_for_encryption_are_accepted(string sse, string? kmsKeyId)
    {
        // s3rver ignores the headers; the unit tests check that they are sent.
        var store = StateFactory.CreateS3Store(bucket.Config(_prefix) with { ServerSideEncryption = sse, SseKmsKeyId = kmsKeyId }, S3TestBucket.Credentials);
        await store.WriteAsync("k.json", [42], Ct);
        Assert.Equal([42], await store.ReadAsync("k.json", Ct));
    }

    [Fact]
    public async Task A_missing_bucket_is_FSW5001_naming_it_and_never_the_data()
    {
        var missing = "fsw-missing-" + Guid.NewGuid().ToString("N")[..8];
        var store = StateFactory.CreateS3Store(bucket.Config(bucket: missing), S3TestBucket.Credentials);
        var write = await Assert.ThrowsAsync<FswException>(() => store.WriteAsync("acl.json", "do-not-echo-this"u8.ToArray(), Ct));
        Assert.Equal(ErrorCodes.StoreFailed, write.Code);
        Assert.Contains($"s3://{missing}/acl.json", write.Message);
        Assert.Contains("NoSuchBucket", write.Message);
        Assert.DoesNotContain("do-not-echo-this", write.Message);
        var read = await Assert.ThrowsAsync<FswException>(() => store.ReadAsync("acl.json", Ct)); // a 404, but not a missing key
        Assert.Contains("NoSuchBucket", read.Message);
    }

    [Fact]
    public async Task An_unknown_access_key_is_FSW5001_with_S3s_error_code()
    {
        // s3rver checks the access key ID only; SigV4 signatures are not verified (its own limitation).
        var store = StateFactory.CreateS3Store(bucket.Config(_prefix), new BasicAWSCredentials("NOT-S3RVER", "S3RVER"));
        var e = await Assert.ThrowsAsync<FswException>(() => store.ListAsync("services/", Ct));
        Assert.Equal(ErrorCodes.StoreFailed, e.Code);
        Assert.Contains("InvalidAccessKeyId", e.Message);
        Assert.Contains("HTTP 403", e.Message);
    }
}
