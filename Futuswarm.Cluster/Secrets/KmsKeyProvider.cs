using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Secrets;

/// <summary>
/// Data keys from AWS KMS. The context goes in as EncryptionContext: KMS binds the wrapped key to it (Decrypt
/// with another context fails) and IAM policies can condition on it. KeyId is also sent on Decrypt so a blob
/// made under another key is refused instead of silently decrypted with it.
/// </summary>
public sealed class KmsKeyProvider(IAmazonKeyManagementService kms, string keyId) : IDataKeyProvider
{
    public const string ProviderName = "kms";
    private const int KeySize = 32;

    public string Name => ProviderName;

    public async Task<DataKey> GenerateAsync(SecretContext ctx, CancellationToken ct)
    {
        GenerateDataKeyResponse response;
        try
        {
            response = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest
            {
                KeyId = keyId, KeySpec = DataKeySpec.AES_256, EncryptionContext = ctx.ToEncryptionContext(),
            }, ct);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw Failed("GenerateDataKey", ctx, e);
        }
        var plaintext = TakeBytes(response.Plaintext);
        var blob = response.CiphertextBlob?.ToArray() ?? [];
        if (plaintext.Length != KeySize || blob.Length == 0)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new FswException(ErrorCodes.KmsFailed, $"KMS GenerateDataKey for the secret {ctx} returned no 256-bit data key (key '{keyId}').");
        }
        return new DataKey(plaintext, blob, ProviderName);
    }

    public async Task<byte[]> DecryptAsync(string provider, byte[] encryptedKey, SecretContext ctx, CancellationToken ct)
    {
        if (provider != ProviderName)
            throw new FswException(ErrorCodes.SecretKeyUnwrapFailed, $"The secret {ctx} was encrypted by the '{provider}' key provider; this cluster uses KMS.");
        DecryptResponse response;
        try
        {
            response = await kms.DecryptAsync(new DecryptRequest
            {
                CiphertextBlob = new MemoryStream(encryptedKey, writable: false),
                EncryptionContext = ctx.ToEncryptionContext(),
                KeyId = keyId,
            }, ct);
        }
        // These mean "this blob does not open under this key and context": the same as a wrong local key file.
        catch (Exception e) when (e is InvalidCiphertextException or IncorrectKeyException)
        {
            throw new FswException(ErrorCodes.SecretKeyUnwrapFailed,
                $"KMS could not unwrap the data key of the secret {ctx} under key '{keyId}' ({((AmazonServiceException)e).ErrorCode}): another KMS key, another context, or a changed record.");
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw Failed("Decrypt", ctx, e);
        }
        var plaintext = TakeBytes(response.Plaintext);
        if (plaintext.Length != KeySize)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new FswException(ErrorCodes.SecretKeyUnwrapFailed, $"KMS Decrypt for the secret {ctx} did not return a 256-bit data key.");
        }
        return plaintext;
    }

    // Only the AWS error code and status go into the message; the AWS exception is not kept as inner exception.
    private FswException Failed(string call, SecretContext ctx, Exception e) => e switch
    {
        AmazonServiceException s => new FswException(ErrorCodes.KmsFailed,
            $"KMS {call} for the secret {ctx} failed with {s.ErrorCode ?? "an error"} (HTTP {(int)s.StatusCode}, key '{keyId}')."),
        _ => new FswException(ErrorCodes.KmsFailed, $"KMS {call} for the secret {ctx} did not get an answer ({e.GetType().Name}: {e.Message})."),
    };

    // Copies the key out and clears the SDK's buffer, so the plaintext lives in one array the caller zeroes.
    private static byte[] TakeBytes(MemoryStream? stream)
    {
        if (stream is null) return [];
        var bytes = stream.ToArray();
        if (stream.TryGetBuffer(out var buffer)) CryptographicOperations.ZeroMemory(buffer.AsSpan());
        return bytes;
    }
}
