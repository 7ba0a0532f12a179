using System.Security.Cryptography;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Secrets;

/// <summary>
/// Data keys wrapped under a 32-byte master key kept in a file on the manager (the local cluster has no KMS).
/// A wrapped key is nonce (12) | ciphertext (32) | tag (16), with the context's canonical bytes as associated
/// data, so a key wrapped for one service does not unwrap for another.
/// </summary>
public sealed class LocalKeyProvider : IDataKeyProvider, IDisposable
{
    public const string ProviderName = "local";
    public const int KeySize = 32;
    private const int NonceSize = 12, TagSize = 16;

    private readonly byte[] _masterKey;

    private LocalKeyProvider(byte[] masterKey) => _masterKey = masterKey;

    public string Name => ProviderName;

    /// <summary>Writes a new random master key, readable by its owner only. Never overwrites: losing the old key loses every secret.</summary>
    public static void CreateKeyFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        // The mode is set at creation, so the key is never readable by others, not even for a moment.
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var key = RandomNumberGenerator.GetBytes(KeySize);
        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(key);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new FswException(ErrorCodes.SecretKeyFileInvalid, $"The key file '{path}' already exists; it is not overwritten, since the secrets encrypted under it would be lost.");
        }
        finally { CryptographicOperations.ZeroMemory(key); }
    }

    /// <summary>Loads the master key; refuses a file group or others may read, or one of the wrong length.</summary>
    public static LocalKeyProvider Load(string path)
    {
        if (!File.Exists(path))
            throw new FswException(ErrorCodes.SecretKeyFileInvalid, $"The key file '{path}' does not exist.");
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            var mode = File.GetUnixFileMode(path);
            if ((mode & others) != 0)
                throw new FswException(ErrorCodes.SecretKeyFileInvalid,
                    $"The key file '{path}' is accessible by group or others (mode {Convert.ToString((int)mode, 8)}). Run chmod 600 on it.");
        }
        var key = File.ReadAllBytes(path);
        if (key.Length != KeySize)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new FswException(ErrorCodes.SecretKeyFileInvalid, $"The key file '{path}' holds {key.Length} bytes, not {KeySize}.");
        }
        return new LocalKeyProvider(key);
    }

    public Task<DataKey> GenerateAsync(SecretContext ctx, CancellationToken ct)
    {
        var dataKey = RandomNumberGenerator.GetBytes(KeySize);
        var wrapped = new byte[NonceSize + KeySize + TagSize];
        var nonce = wrapped.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var gcm = new AesGcm(_masterKey, TagSize))
            gcm.Encrypt(nonce, dataKey, wrapped.AsSpan(NonceSize, KeySize), wrapped.AsSpan(NonceSize + KeySize, TagSize), ctx.CanonicalBytes());
        return Task.FromResult(new DataKey(dataKey, wrapped, ProviderName));
    }

    public Task<byte[]> DecryptAsync(string provider, byte[] encryptedKey, SecretContext ctx, CancellationToken ct)
    {
        if (provider != ProviderName)
            throw new FswException(ErrorCodes.SecretKeyUnwrapFailed, $"The secret {ctx} was encrypted by the '{provider}' key provider; this cluster uses the local key file.");
        if (encryptedKey.Length != NonceSize + KeySize + TagSize)
            throw new FswException(ErrorCodes.SecretKeyUnwrapFailed, $"The data key of the secret {ctx} cannot be unwrapped: it has the wrong length.");
        var dataKey = new byte[KeySize];
        try
        {
            using var gcm = new AesGcm(_masterKey, TagSize);
            gcm.Decrypt(encryptedKey.AsSpan(0, NonceSize), encryptedKey.AsSpan(NonceSize, KeySize),
                encryptedKey.AsSpan(NonceSize + KeySize, TagSize), dataKey, ctx.CanonicalBytes());
        }
        catch (CryptographicException)
        {
            // Deliberately not wrapped: the exception is all we know, and it says nothing more useful.
            CryptographicOperations.ZeroMemory(dataKey);
            throw new FswException(ErrorCodes.SecretKeyUnwrapFailed,
                $"The data key of the secret {ctx} cannot be unwrapped with this cluster's key file (another key file, or a changed record).");
        }
        return Task.FromResult(dataKey);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_masterKey);
}
