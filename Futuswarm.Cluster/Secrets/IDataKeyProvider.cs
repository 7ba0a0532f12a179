namespace Futuswarm.Cluster.Secrets;

/// <summary>
/// A fresh 256-bit data key and its wrapped form. The plaintext half is zeroed on dispose, so hold it in a
/// using and never keep it beyond one seal.
/// </summary>
public sealed class DataKey(byte[] plaintext, byte[] encryptedKey, string provider) : IDisposable
{
    public byte[] Plaintext { get; } = plaintext;
    /// <summary>Opaque to the caller: only the provider that made it can unwrap it.</summary>
    public byte[] EncryptedKey { get; } = encryptedKey;
    public string Provider { get; } = provider;

    public void Dispose() => Array.Clear(Plaintext);

    // Never show key bytes in logs or debugger summaries.
    public override string ToString() => $"DataKey({Provider})";
}

/// <summary>Makes and unwraps data keys: KMS on AWS, a local key file on the local cluster.</summary>
public interface IDataKeyProvider
{
    /// <summary>The name written into every record ("local", "kms"), so the right provider opens it.</summary>
    string Name { get; }

    Task<DataKey> GenerateAsync(SecretContext ctx, CancellationToken ct);

    /// <summary>The 32-byte plaintext data key; the caller zeroes it. Fails with FSW5005 when it cannot be unwrapped.</summary>
    Task<byte[]> DecryptAsync(string provider, byte[] encryptedKey, SecretContext ctx, CancellationToken ct);
}
