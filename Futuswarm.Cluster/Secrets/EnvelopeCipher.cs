using System.Security.Cryptography;
using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Secrets;

/// <summary>
/// Envelope encryption of one secret value (DESIGN.md section 6): a fresh data key per value from the provider,
/// AES-256-GCM with the context's canonical bytes as associated data, and a versioned JSON record.
/// Errors name the secret's place but never its value, its keys or its ciphertext, and wrap nothing.
/// </summary>
public sealed class EnvelopeCipher(IDataKeyProvider keys)
{
    private const int NonceSize = 12, TagSize = 16, KeySize = 32;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public async Task<byte[]> SealAsync(SecretContext ctx, ReadOnlyMemory<byte> plaintext, CancellationToken ct)
    {
        using var dataKey = await keys.GenerateAsync(ctx, ct);
        if (dataKey.Plaintext.Length != KeySize)
            throw new FswException(ErrorCodes.StoreFailed, $"The '{dataKey.Provider}' key provider returned a data key of the wrong size for the secret {ctx}.");
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using (var gcm = new AesGcm(dataKey.Plaintext, TagSize))
            gcm.Encrypt(nonce, plaintext.Span, ciphertext, tag, ctx.CanonicalBytes());
        var record = new SecretRecord
        {
            Version = SecretRecord.CurrentVersion,
            Algorithm = SecretRecord.Aes256Gcm,
            Provider = dataKey.Provider,
            Context = new SecretRecord.RecordContext { Cluster = ctx.Cluster, Service = ctx.Service, Key = ctx.Key },
            EncryptedKey = dataKey.EncryptedKey,
            Nonce = nonce,
            Ciphertext = ciphertext,
            Tag = tag,
        };
        return JsonSerializer.SerializeToUtf8Bytes(record, Json);
    }

    /// <summary>
    /// The plaintext of a record read from where <paramref name="expected"/> says it belongs; the caller zeroes it.
    /// Checks in order: format version (FSW5003), shape (FSW5002), context (FSW5004), data key (FSW5005), integrity (FSW5006).
    /// </summary>
    public async Task<byte[]> OpenAsync(SecretContext expected, ReadOnlyMemory<byte> recordBytes, CancellationToken ct)
    {
        var record = Parse(expected, recordBytes);

        // Before any decryption: a record copied under another service or key is refused by name, which is clearer
        // than the authentication failure the associated data would cause anyway.
        var c = record.Context!;
        if (c.Cluster != expected.Cluster || c.Service != expected.Service || c.Key != expected.Key)
            throw new FswException(ErrorCodes.SecretContextMismatch,
                $"The secret record read as {expected} belongs to {c.Cluster}/{c.Service}/{c.Key}; records cannot be moved between clusters, services or keys.");

        var dataKey = await keys.DecryptAsync(record.Provider!, record.EncryptedKey!, expected, ct);
        var plaintext = new byte[record.Ciphertext!.Length];
        try
        {
            if (dataKey.Length != KeySize)
                throw new FswException(ErrorCodes.SecretKeyUnwrapFailed, $"The data key of the secret {expected} has the wrong size.");
            using var gcm = new AesGcm(dataKey, TagSize);
            gcm.Decrypt(record.Nonce!, record.Ciphertext, record.Tag!, plaintext, expected.CanonicalBytes());
            return plaintext;
        }
        catch (CryptographicException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new FswException(ErrorCodes.SecretTampered,
                $"The secret {expected} failed its integrity check: its value, nonce or tag was changed.");
        }
        finally { CryptographicOperations.ZeroMemory(dataKey); }
    }

    private static SecretRecord Parse(SecretContext expected, ReadOnlyMemory<byte> bytes)
    {
        SecretRecord? record;
        try
        {
            // The version is read on its own first: a newer format may not fit today's record type at all.
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("v", out var v) || !v.TryGetInt32(out var version))
                throw Corrupt(expected, "no format version");
            if (version != SecretRecord.CurrentVersion)
                throw new FswException(ErrorCodes.SecretFormatUnknown,
                    $"The secret record {expected} has format version {version}; this manager reads version {SecretRecord.CurrentVersion}.");
            record = doc.RootElement.Deserialize<SecretRecord>(Json);
        }
        catch (JsonException) { throw Corrupt(expected, "not a secret record"); }

        if (record!.Algorithm != SecretRecord.Aes256Gcm)
            throw new FswException(ErrorCodes.SecretFormatUnknown,
                $"The secret record {expected} uses the algorithm '{record.Algorithm}'; this manager knows {SecretRecord.Aes256Gcm}.");
        if (record.Context is null || string.IsNullOrEmpty(record.Provider) || record.EncryptedKey is not { Length: > 0 }
            || record.Nonce is not { Length: NonceSize } || record.Tag is not { Length: TagSize } || record.Ciphertext is null)
            throw Corrupt(expected, "a field is missing or has the wrong size");
        return record;
    }

    private static FswException Corrupt(SecretContext ctx, string why) =>
        new(ErrorCodes.StateCorrupt, $"The secret record {ctx} cannot be read ({why}). Restore it from the store's history.");
}
