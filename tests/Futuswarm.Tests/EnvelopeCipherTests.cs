using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>Envelope encryption with the local key file: round trip, tampering, misplaced records, wrong keys, key file modes.</summary>
public class EnvelopeCipherTests : IDisposable
{
    private const string Secret = "sk_live_Plaintext-Must-Never-Appear-0123456789";
    private static readonly SecretContext Ctx = new("local", "shop", "Stripe__ApiKey");

    private readonly TempDirectory _dir = new();
    private readonly LocalKeyProvider _keys;
    private readonly CapturingProvider _capture;
    private readonly EnvelopeCipher _cipher;

    public EnvelopeCipherTests()
    {
        var keyFile = Path.Combine(_dir.Path, "master.key");
        LocalKeyProvider.CreateKeyFile(keyFile);
        _keys = LocalKeyProvider.Load(keyFile);
        _capture = new CapturingProvider(_keys);
        _cipher = new EnvelopeCipher(_capture);
    }

    public void Dispose()
    {
        _keys.Dispose();
        _dir.Dispose();
    }

    /// <summary>Keeps a copy of each data key it hands out, so a test can look for it in the record.</summary>
    private sealed class CapturingProvider(IDataKeyProvider inner) : IDataKeyProvider
    {
        public List<byte[]> DataKeys { get; } = [];
        public string Name => inner.Name;

        public async Task<DataKey> GenerateAsync(SecretContext ctx, CancellationToken ct)
        {
            var key = await inner.GenerateAsync(ctx, ct);
            DataKeys.Add(key.Plaintext.ToArray());
            return key;
        }

        public Task<byte[]> DecryptAsync(string provider, byte[] encryptedKey, SecretContext ctx, CancellationToken ct) =>
            inner.DecryptAsync(provider, encryptedKey, ctx, ct);
    }

    private Task<byte[]> Seal(string value = Secret) => _cipher.SealAsync(Ctx, Encoding.UTF8.GetBytes(value), CancellationToken.None);

    private static async Task<FswException> Fails(Func<Task> open, string code)
    {
        var e = await Assert.ThrowsAsync<FswException>(open);
        Assert.Equal(code, e.Code);
        Assert.DoesNotContain(Secret, e.Message);
        Assert.Null(e.InnerException);
        return e;
    }

    /// <summary>The record with one byte of a base64 field flipped.</summary>
    private static byte[] Flip(byte[] record, string field, int index = 0)
    {
        var json = JsonNode.Parse(record)!;
        var bytes = Convert.FromBase64String(json[field]!.GetValue<string>());
        bytes[index] ^= 0x01;
        json[field] = Convert.ToBase64String(bytes);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static byte[] With(byte[] record, Action<JsonNode> change)
    {
        var json = JsonNode.Parse(record)!;
        change(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    [Fact]
    public async Task RoundTrip()
    {
        var record = await Seal();
        var back = await _cipher.OpenAsync(Ctx, record, CancellationToken.None);
        Assert.Equal(Secret, Encoding.UTF8.GetString(back));
    }

    [Fact]
    public async Task RoundTripOfAnEmptyAndABinaryValue()
    {
        var binary = RandomNumberGenerator.GetBytes(4096);
        var record = await _cipher.SealAsync(Ctx, binary, CancellationToken.None);
        Assert.Equal(binary, await _cipher.OpenAsync(Ctx, record, CancellationToken.None));
        var empty = await _cipher.SealAsync(Ctx, Array.Empty<byte>(), CancellationToken.None);
        Assert.Empty(await _cipher.OpenAsync(Ctx, empty, CancellationToken.None));
    }

    [Fact]
    public async Task TheRecordHasTheDocumentedShape()
    {
        var json = JsonNode.Parse(await Seal())!.AsObject();
        Assert.Equal(["v", "alg", "provider", "context", "encryptedKey", "nonce", "ciphertext", "tag"], json.Select(p => p.Key).ToArray());
        Assert.Equal(1, json["v"]!.GetValue<int>());
        Assert.Equal("AES-256-GCM", json["alg"]!.GetValue<string>());
        Assert.Equal("local", json["provider"]!.GetValue<string>());
        Assert.Equal("""{"cluster":"local","service":"shop","key":"Stripe__ApiKey"}""", json["context"]!.ToJsonString());
        Assert.Equal(12, Convert.FromBase64String(json["nonce"]!.GetValue<string>()).Length);
        Assert.Equal(16, Convert.FromBase64String(json["tag"]!.GetValue<string>()).Length);
        Assert.Equal(Encoding.UTF8.GetByteCount(Secret), Convert.FromBase64String(json["ciphertext"]!.GetValue<string>()).Length);
    }

    [Fact]
    public async Task TwoSealsOfTheSameValueDiffer()
    {
        var a = JsonNode.Parse(await Seal())!;
        var b = JsonNode.Parse(await Seal())!;
        foreach (var field in new[] { "encryptedKey", "nonce", "ciphertext" })
            Assert.NotEqual(a[field]!.GetValue<string>(), b[field]!.GetValue<string>());
    }

    [Fact]
    public async Task NoPlaintextOrKeyBytesInTheRecord()
    {
        var record = await Seal();
        var masterKey = File.ReadAllBytes(Path.Combine(_dir.Path, "master.key"));
        var forbidden = new List<byte[]> { Encoding.UTF8.GetBytes(Secret), masterKey, _capture.DataKeys.Single() };
        foreach (var secret in forbidden.ToList())
        {
            // Base64 at each of the three alignments, and hex, in case a field ever carried it encoded.
            for (var skip = 0; skip < 3; skip++)
                forbidden.Add(Encoding.ASCII.GetBytes(Convert.ToBase64String(secret[skip..]).TrimEnd('=')[..16]));
            forbidden.Add(Encoding.ASCII.GetBytes(Convert.ToHexString(secret)));
            forbidden.Add(Encoding.ASCII.GetBytes(Convert.ToHexString(secret).ToLowerInvariant()));
        }
        foreach (var needle in forbidden)
            Assert.True(record.AsSpan().IndexOf(needle) < 0, "the record contains secret bytes");
        // A long probe of the plaintext's own substrings: not even a part of the value is in the clear.
        Assert.DoesNotContain("Plaintext-Must", Encoding.UTF8.GetString(record));
    }

    [Theory]
    [InlineData("ciphertext", 0, ErrorCodes.SecretTampered)]
    [InlineData("ciphertext", 20, ErrorCodes.SecretTampered)]
    [InlineData("nonce", 0, ErrorCodes.SecretTampered)]
    [InlineData("nonce", 11, ErrorCodes.SecretTampered)]
    [InlineData("tag", 0, ErrorCodes.SecretTampered)]
    [InlineData("tag", 15, ErrorCodes.SecretTampered)]
    [InlineData("encryptedKey", 0, ErrorCodes.SecretKeyUnwrapFailed)]
    [InlineData("encryptedKey", 30, ErrorCodes.SecretKeyUnwrapFailed)]
    [InlineData("encryptedKey", 59, ErrorCodes.SecretKeyUnwrapFailed)]
    public async Task AChangedByteIsCoded(string field, int index, string code)
    {
        var record = Flip(await Seal(), field, index);
        await Fails(() => _cipher.OpenAsync(Ctx, record, CancellationToken.None), code);
    }

    [Fact]
    public async Task ARecordCopiedUnderAnotherServiceIsRefused()
    {
        var record = await Seal();
        var e = await Fails(() => _cipher.OpenAsync(Ctx.WithService("billing"), record, CancellationToken.None), ErrorCodes.SecretContextMismatch);
        Assert.Contains("local/shop/Stripe__ApiKey", e.Message);
    }

    [Fact]
    public async Task ARecordCopiedUnderAnotherKeyIsRefused()
    {
        var record = await Seal();
        await Fails(() => _cipher.OpenAsync(new SecretContext("local", "shop", "Db__Password"), record, CancellationToken.None), ErrorCodes.SecretContextMismatch);
    }

    [Fact]
    public async Task ARecordWhoseContextWasRewrittenToMatchStillFails()
    {
        // Someone copies the record and also edits its clear-text context: the associated data still binds it.
        var moved = With(await Seal(), j => j["context"]!["service"] = "billing");
        var target = new SecretContext("local", "billing", "Stripe__ApiKey");
        await Fails(() => _cipher.OpenAsync(target, moved, CancellationToken.None), ErrorCodes.SecretKeyUnwrapFailed);
    }

    [Fact]
    public async Task AnotherMasterKeyFileCannotUnwrap()
    {
        var record = await Seal();
        var other = Path.Combine(_dir.Path, "other.key");
        LocalKeyProvider.CreateKeyFile(other);
        using var otherKeys = LocalKeyProvider.Load(other);
        await Fails(() => new EnvelopeCipher(otherKeys).OpenAsync(Ctx, record, CancellationToken.None), ErrorCodes.SecretKeyUnwrapFailed);
    }

    [Fact]
    public async Task ARecordOfAnotherProviderCannotUnwrap()
    {
        var record = With(await Seal(), j => j["provider"] = "kms");
        await Fails(() => _cipher.OpenAsync(Ctx, record, CancellationToken.None), ErrorCodes.SecretKeyUnwrapFailed);
    }

    [Fact]
    public async Task AFutureVersionIsCoded()
    {
        var record = With(await Seal(), j => j["v"] = 2);
        await Fails(() => _cipher.OpenAsync(Ctx, record, CancellationToken.None), ErrorCodes.SecretFormatUnknown);
        // A future format may change everything but "v": it is still recognised as a version problem.
        var future = Encoding.UTF8.GetBytes("""{"v":7,"ciphertext":{"parts":[1,2]}}""");
        await Fails(() => _cipher.OpenAsync(Ctx, future, CancellationToken.None), ErrorCodes.SecretFormatUnknown);
    }

    [Fact]
    public async Task AnUnknownAlgorithmIsCoded()
    {
        var record = With(await Seal(), j => j["alg"] = "AES-128-CBC");
        await Fails(() => _cipher.OpenAsync(Ctx, record, CancellationToken.None), ErrorCodes.SecretFormatUnknown);
    }

    [Fact]
    public async Task TheVersionIsCheckedBeforeTheContext()
    {
        var record = With(await Seal(), j => j["v"] = 2);
        await Fails(() => _cipher.OpenAsync(Ctx.WithService("billing"), record, CancellationToken.None), ErrorCodes.SecretFormatUnknown);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"alg":"AES-256-GCM"}""")]
    [InlineData("""{"v":1,"alg":"AES-256-GCM","provider":"local"}""")]
    public async Task AMalformedRecordIsStateCorrupt(string text) =>
        await Fails(() => _cipher.OpenAsync(Ctx, Encoding.UTF8.GetBytes(text), CancellationToken.None), ErrorCodes.StateCorrupt);

    [Fact]
    public void TheCanonicalBytesSeparateTheFields()
    {
        Assert.NotEqual(new SecretContext("a", "bc", "d").CanonicalBytes(), new SecretContext("ab", "c", "d").CanonicalBytes());
        Assert.Equal(Ctx.CanonicalBytes(), new SecretContext("local", "shop", "Stripe__ApiKey").CanonicalBytes());
        Assert.Equal(new Dictionary<string, string> { ["cluster"] = "local", ["service"] = "shop", ["key"] = "Stripe__ApiKey" }, Ctx.ToEncryptionContext());
    }

    [Fact]
    public void TheKeyFileIsCreatedOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Path.Combine(_dir.Path, "new.key");
        LocalKeyProvider.CreateKeyFile(path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(32, new FileInfo(path).Length);
    }

    [Fact]
    public void AnExistingKeyFileIsNotOverwritten()
    {
        var path = Path.Combine(_dir.Path, "master.key");
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<FswException>(() => LocalKeyProvider.CreateKeyFile(path));
        Assert.Equal(ErrorCodes.SecretKeyFileInvalid, e.Code);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)] // 0644
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]                          // 0640
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherWrite)]                                                  // 0402
    public void AKeyFileOthersCanReachIsRefused(UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Path.Combine(_dir.Path, "open.key");
        LocalKeyProvider.CreateKeyFile(path);
        File.SetUnixFileMode(path, mode);
        var e = Assert.Throws<FswException>(() => LocalKeyProvider.Load(path));
        Assert.Equal(ErrorCodes.SecretKeyFileInvalid, e.Code);
        Assert.Contains("chmod 600", e.Message);
    }

    [Fact]
    public void AMissingOrShortKeyFileIsRefused()
    {
        Assert.Equal(ErrorCodes.SecretKeyFileInvalid, Assert.Throws<FswException>(() => LocalKeyProvider.Load(Path.Combine(_dir.Path, "none.key"))).Code);
        var shortKey = Path.Combine(_dir.Path, "short.key");
        File.WriteAllBytes(shortKey, new byte[16]);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(shortKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(ErrorCodes.SecretKeyFileInvalid, Assert.Throws<FswException>(() => LocalKeyProvider.Load(shortKey)).Code);
    }
}

internal static class SecretContextTestExtensions
{
    public static SecretContext WithService(this SecretContext ctx, string service) => new(ctx.Cluster, service, ctx.Key);
}
