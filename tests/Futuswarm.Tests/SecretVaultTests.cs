using System.Text;
using System.Text.Json;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>A SecretVault over a LocalDirectoryStore in a temp directory, with a local key file.</summary>
internal sealed class LocalVault : IDisposable
{
    public const string Cluster = "local";

    private readonly TempDirectory _dir = new();
    private readonly LocalKeyProvider _keys;

    public LocalDirectoryStore Store { get; }
    public EnvelopeCipher Cipher { get; }
    public SecretVault Vault { get; }
    public string StateRoot { get; }

    public LocalVault()
    {
        var keyFile = Path.Combine(_dir.Path, "master.key");
        LocalKeyProvider.CreateKeyFile(keyFile);
        _keys = LocalKeyProvider.Load(keyFile);
        StateRoot = _dir.Sub("state");
        Store = new LocalDirectoryStore(StateRoot);
        Cipher = new EnvelopeCipher(_keys);
        Vault = new SecretVault(Store, Cipher, Cluster);
    }

    /// <summary>Another vault on the same store and key: what a restarted daemon sees.</summary>
    public SecretVault Reopened() => new(Store, Cipher, Cluster);

    /// <summary>Every file under the state directory, as store keys.</summary>
    public IReadOnlyList<string> AllKeys() =>
        Directory.EnumerateFiles(StateRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(StateRoot, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        _keys.Dispose();
        _dir.Dispose();
    }
}

/// <summary>Secret versions sealed into the store, opened back, counted; the per-service fingerprint key.</summary>
public class SecretVaultTests : IDisposable
{
    private const string Service = "shop";
    private const string Name = "Stripe__ApiKey";
    private const string Secret = "sk_live_Plaintext-Must-Never-Appear-0123456789";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly LocalVault _local = new();
    private SecretVault Vault => _local.Vault;

    public void Dispose() => _local.Dispose();

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task RoundTrip()
    {
        var version = await Vault.AddVersionAsync(Service, Name, Bytes(Secret), Ct);
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", version);
        Assert.Equal([$"services/{Service}/secrets/{Name}/{version}.json"], await _local.Store.ListAsync($"services/{Service}/secrets/", Ct));

        var opened = await Vault.OpenAsync(Service, Name, version, Ct);
        Assert.NotNull(opened);
        Assert.Equal(Secret, Encoding.UTF8.GetString(opened));

        // A restarted daemon (a new vault on the same store and key file) opens it too.
        Assert.Equal(Secret, Encoding.UTF8.GetString((await _local.Reopened().OpenAsync(Service, Name, version, Ct))!));
    }

    [Fact]
    public async Task RoundTripOfABinaryValue()
    {
        var value = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var version = await Vault.AddVersionAsync(Service, "cert.pfx", value, Ct);
        Assert.Equal(value, await Vault.OpenAsync(Service, "cert.pfx", version, Ct));
    }

    [Fact]
    public async Task AMissingVersionOpensAsNull()
    {
        Assert.Null(await Vault.OpenAsync(Service, Name, "01HZZZZZZZZZZZZZZZZZZZZZZZ", Ct));
        await Vault.AddVersionAsync(Service, Name, Bytes(Secret), Ct);
        Assert.Null(await Vault.OpenAsync(Service, Name, "01HZZZZZZZZZZZZZZZZZZZZZZZ", Ct));
    }

    [Fact]
    public async Task TwoVersionsOfTheSameValueGetTheirOwnUlidsAndBothStay()
    {
        Assert.Equal(0, await Vault.CountVersionsAsync(Service, Name, Ct));
        var first = await Vault.AddVersionAsync(Service, Name, Bytes(Secret), Ct);
        var second = await Vault.AddVersionAsync(Service, Name, Bytes(Secret), Ct);

        Assert.NotEqual(first, second);
        Assert.Equal(2, await Vault.CountVersionsAsync(Service, Name, Ct));
        Assert.Equal(Secret, Encoding.UTF8.GetString((await Vault.OpenAsync(Service, Name, first, Ct))!));
        Assert.Equal(Secret, Encoding.UTF8.GetString((await Vault.OpenAsync(Service, Name, second, Ct))!));
        // Sealed separately: the same value gives different records.
        Assert.NotEqual(await _local.Store.ReadAsync($"services/{Service}/secrets/{Name}/{first}.json", Ct),
            await _local.Store.ReadAsync($"services/{Service}/secrets/{Name}/{second}.json", Ct));
    }

    [Fact]
    public async Task CountsArePerServiceAndName()
    {
        await Vault.AddVersionAsync(Service, Name, Bytes("a"), Ct);
        await Vault.AddVersionAsync(Service, Name, Bytes("b"), Ct);
        await Vault.AddVersionAsync(Service, "Other", Bytes("c"), Ct);
        await Vault.AddVersionAsync("blog", Name, Bytes("d"), Ct);

        Assert.Equal(2, await Vault.CountVersionsAsync(Service, Name, Ct));
        Assert.Equal(1, await Vault.CountVersionsAsync(Service, "Other", Ct));
        Assert.Equal(1, await Vault.CountVersionsAsync("blog", Name, Ct));
        Assert.Equal(0, await Vault.CountVersionsAsync("blog", "Other", Ct));
        // The fingerprint key is not a version of anything.
        await Vault.FingerprintKeyAsync(Service, Ct);
        Assert.Equal(2, await Vault.CountVersionsAsync(Service, Name, Ct));
    }

    [Fact]
    public async Task TheStoredFilesHoldNoPlaintextInAnyEncoding()
    {
        var value = Bytes(Secret);
        await Vault.AddVersionAsync(Service, Name, value, Ct);
        await Vault.AddVersionAsync(Service, Name, value, Ct);
        var key = await Vault.FingerprintKeyAsync(Service, Ct);

        var forbidden = new[]
        {
            Secret,
            Convert.ToBase64String(value),
            Convert.ToBase64String(value)[..20], // a prefix survives whatever padding the record's encoding adds
            Convert.ToHexStringLower(value),
            Convert.ToHexString(value),
            Convert.ToBase64String(key),
            Convert.ToHexStringLower(key),
        };
        var files = _local.AllKeys();
        Assert.Equal(3, files.Count);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(_local.StateRoot, file));
            var text = Encoding.UTF8.GetString(bytes);
            foreach (var f in forbidden) Assert.DoesNotContain(f, text);
            Assert.False(bytes.AsSpan().IndexOf(key) >= 0, $"{file} holds the fingerprint key's raw bytes");
        }
    }

    [Fact]
    public async Task TheFingerprintKeyIsMadeOnceAndStaysTheSame()
    {
        var first = await Vault.FingerprintKeyAsync(Service, Ct);
        var again = await Vault.FingerprintKeyAsync(Service, Ct);
        var reopened = await _local.Reopened().FingerprintKeyAsync(Service, Ct);

        Assert.Equal(32, first.Length);
        Assert.Equal(first, again);
        Assert.Equal(first, reopened);
        Assert.Equal([$"services/{Service}/fingerprint-key.json"], _local.AllKeys());
    }

    [Fact]
    public async Task EachServiceHasItsOwnFingerprintKey()
    {
        var shop = await Vault.FingerprintKeyAsync(Service, Ct);
        var blog = await Vault.FingerprintKeyAsync("blog", Ct);
        Assert.NotEqual(shop, blog);
        Assert.NotEqual(SecretFingerprint.Compute(shop, Bytes(Secret)), SecretFingerprint.Compute(blog, Bytes(Secret)));
    }

    [Fact]
    public async Task TheFingerprintKeyFileIsSealed()
    {
        var key = await Vault.FingerprintKeyAsync(Service, Ct);
        var stored = (await _local.Store.ReadAsync($"services/{Service}/fingerprint-key.json", Ct))!;

        Assert.NotEqual(32, stored.Length);
        Assert.NotEqual(key, stored);
        using var doc = JsonDocument.Parse(stored);
        Assert.Equal(SecretRecord.CurrentVersion, doc.RootElement.GetProperty("v").GetInt32());
        Assert.Equal(SecretRecord.Aes256Gcm, doc.RootElement.GetProperty("alg").GetString());
        Assert.Equal(Service, doc.RootElement.GetProperty("context").GetProperty("service").GetString());
        Assert.Equal(LocalVault.Cluster, doc.RootElement.GetProperty("context").GetProperty("cluster").GetString());
        Assert.NotEqual(key, doc.RootElement.GetProperty("ciphertext").GetBytesFromBase64());
    }

    [Fact]
    public async Task AFingerprintKeyCopiedToAnotherServiceIsRefused()
    {
        await Vault.FingerprintKeyAsync(Service, Ct);
        var stored = (await _local.Store.ReadAsync($"services/{Service}/fingerprint-key.json", Ct))!;
        await _local.Store.WriteAsync("services/blog/fingerprint-key.json", stored, Ct);

        var e = await Assert.ThrowsAsync<FswException>(() => Vault.FingerprintKeyAsync("blog", Ct));
        Assert.Equal(ErrorCodes.SecretContextMismatch, e.Code);
    }

    [Fact]
    public async Task ARecordCopiedToAnotherServiceIsRefused()
    {
        var version = await Vault.AddVersionAsync(Service, Name, Bytes(Secret), Ct);
        var record = (await _local.Store.ReadAsync($"services/{Service}/secrets/{Name}/{version}.json", Ct))!;
        await _local.Store.WriteAsync($"services/blog/secrets/{Name}/{version}.json", record, Ct);

        var e = await Assert.ThrowsAsync<FswException>(() => Vault.OpenAsync("blog", Name, version, Ct));
        Assert.Equal(ErrorCodes.SecretContextMismatch, e.Code);
        Assert.DoesNotContain(Secret, e.Message);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public async Task ARecordCopiedToAnotherNameIsRefused()
    {
        var version = await Vault.AddVersionAsync(Service, Name, Bytes(Secret), Ct);
        var record = (await _local.Store.ReadAsync($"services/{Service}/secrets/{Name}/{version}.json", Ct))!;
        await _local.Store.WriteAsync($"services/{Service}/secrets/Other/{version}.json", record, Ct);

        var e = await Assert.ThrowsAsync<FswException>(() => Vault.OpenAsync(Service, "Other", version, Ct));
        Assert.Equal(ErrorCodes.SecretContextMismatch, e.Code);
    }

    [Fact]
    public async Task AVaultOfAnotherClusterCannotOpenTheRecord()
    {
        var version = await Vault.AddVersionAsync(Service, Name, Bytes(Secret), Ct);
        var other = new SecretVault(_local.Store, _local.Cipher, "aws-prod");

        var e = await Assert.ThrowsAsync<FswException>(() => other.OpenAsync(Service, Name, version, Ct));
        Assert.Equal(ErrorCodes.SecretContextMismatch, e.Code);
    }
}
