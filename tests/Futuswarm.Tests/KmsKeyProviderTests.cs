using System.Text;
using System.Text.Json.Nodes;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The KMS path through the real AWS SDK client, against <see cref="FakeKmsServer"/> on loopback.</summary>
public class KmsKeyProviderTests : IDisposable
{
    private const string Secret = "kms-Plaintext-Must-Never-Appear-9876543210";
    private static readonly SecretContext Ctx = new("prod", "shop", "Stripe__ApiKey");

    private readonly FakeKmsServer _kms = new();
    private readonly AmazonKeyManagementServiceClient _client;

    public KmsKeyProviderTests()
    {
        _client = new AmazonKeyManagementServiceClient(
            new BasicAWSCredentials("AKIDFUTUSWARMTEST", "not-a-real-secret-key"),
            new AmazonKeyManagementServiceConfig
            {
                ServiceURL = _kms.Url,
                AuthenticationRegion = "us-east-1",
                MaxErrorRetry = 0,
                Timeout = TimeSpan.FromSeconds(10),
            });
    }

    public void Dispose()
    {
        _client.Dispose();
        _kms.Dispose();
    }

    private KmsKeyProvider Provider(string keyId = FakeKmsServer.KeyId) => new(_client, keyId);

    private void NoFixtureFailures() => Assert.True(_kms.Failures.Count == 0, string.Join("\n", _kms.Failures));

    private static async Task<FswException> Fails(Func<Task> call, string code)
    {
        var e = await Assert.ThrowsAsync<FswException>(call);
        Assert.True(e.Code == code, $"expected {code}, got {e.Code}: {e.Message}");
        Assert.DoesNotContain(Secret, e.Message);
        Assert.Null(e.InnerException);
        return e;
    }

    [Fact]
    public async Task RoundTrip()
    {
        var cipher = new EnvelopeCipher(Provider());
        var record = await cipher.SealAsync(Ctx, Encoding.UTF8.GetBytes(Secret), CancellationToken.None);
        Assert.Equal("kms", JsonNode.Parse(record)!["provider"]!.GetValue<string>());
        Assert.DoesNotContain("Plaintext-Must", Encoding.UTF8.GetString(record));

        var back = await cipher.OpenAsync(Ctx, record, CancellationToken.None);
        Assert.Equal(Secret, Encoding.UTF8.GetString(back));

        NoFixtureFailures();
        Assert.Equal(["TrentService.GenerateDataKey", "TrentService.Decrypt"], _kms.Calls.Select(c => c.Target));
        Assert.All(_kms.Calls, c => Assert.Equal(Ctx.ToEncryptionContext(), c.Context));
    }

    [Fact]
    public async Task ARecordCopiedUnderAnotherServiceFails()
    {
        var provider = Provider();
        var cipher = new EnvelopeCipher(provider);
        var record = await cipher.SealAsync(Ctx, Encoding.UTF8.GetBytes(Secret), CancellationToken.None);
        var other = new SecretContext("prod", "billing", "Stripe__ApiKey");

        // The record's own context is checked first: KMS is not even asked.
        await Fails(() => cipher.OpenAsync(other, record, CancellationToken.None), ErrorCodes.SecretContextMismatch);
        Assert.Single(_kms.Calls);

        // Asked directly with the other context, KMS refuses (InvalidCiphertextException), mapped to the unwrap code.
        var encryptedKey = Convert.FromBase64String(JsonNode.Parse(record)!["encryptedKey"]!.GetValue<string>());
        var e = await Fails(() => provider.DecryptAsync("kms", encryptedKey, other, CancellationToken.None), ErrorCodes.SecretKeyUnwrapFailed);
        Assert.Contains("InvalidCiphertextException", e.Message);
        Assert.Equal("TrentService.Decrypt", _kms.Calls[^1].Target);
        Assert.Equal(other.ToEncryptionContext(), _kms.Calls[^1].Context);
        NoFixtureFailures();
    }

    [Fact]
    public async Task AChangedEncryptedKeyIsTheUnwrapCode()
    {
        var cipher = new EnvelopeCipher(Provider());
        var json = JsonNode.Parse(await cipher.SealAsync(Ctx, Encoding.UTF8.GetBytes(Secret), CancellationToken.None))!;
        var blob = Convert.FromBase64String(json["encryptedKey"]!.GetValue<string>());
        blob[^1] ^= 0x01;
        json["encryptedKey"] = Convert.ToBase64String(blob);
        await Fails(() => cipher.OpenAsync(Ctx, Encoding.UTF8.GetBytes(json.ToJsonString()), CancellationToken.None), ErrorCodes.SecretKeyUnwrapFailed);
        NoFixtureFailures();
    }

    [Fact]
    public async Task AnotherKmsKeyIsTheUnwrapCode()
    {
        var record = await new EnvelopeCipher(Provider()).SealAsync(Ctx, Encoding.UTF8.GetBytes(Secret), CancellationToken.None);
        var e = await Fails(() => new EnvelopeCipher(Provider("arn:aws:kms:us-east-1:111122223333:key/other")).OpenAsync(Ctx, record, CancellationToken.None),
            ErrorCodes.SecretKeyUnwrapFailed);
        Assert.Contains("IncorrectKeyException", e.Message);
        NoFixtureFailures();
    }

    [Fact]
    public async Task AccessDeniedIsTheKmsCode()
    {
        var e = await Fails(() => Provider(FakeKmsServer.DeniedKeyId).GenerateAsync(Ctx, CancellationToken.None), ErrorCodes.KmsFailed);
        Assert.Contains("AccessDeniedException", e.Message);
        NoFixtureFailures();
    }

    [Fact]
    public async Task AnUnreachableKmsIsTheKmsCode()
    {
        var url = _kms.Url;
        _kms.Dispose();
        using var client = new AmazonKeyManagementServiceClient(new BasicAWSCredentials("AKIDFUTUSWARMTEST", "x"),
            new AmazonKeyManagementServiceConfig { ServiceURL = url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(5) });
        await Fails(() => new KmsKeyProvider(client, FakeKmsServer.KeyId).GenerateAsync(Ctx, CancellationToken.None), ErrorCodes.KmsFailed);
    }
}
