using System.Text.Json.Serialization;

namespace Futuswarm.Cluster.Secrets;

/// <summary>
/// One stored secret value (services/&lt;svc&gt;/secrets/&lt;KEY&gt;/&lt;ulid&gt;.json). Everything needed to open
/// it except the master/KMS key; the context is repeated in the clear so a misplaced copy is recognised before
/// any decryption. Fields are nullable so that a record of another version still parses far enough to read "v".
/// </summary>
public sealed record SecretRecord
{
    public const int CurrentVersion = 1;
    public const string Aes256Gcm = "AES-256-GCM";

    [JsonPropertyName("v")] public int Version { get; init; }
    [JsonPropertyName("alg")] public string? Algorithm { get; init; }
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("context")] public RecordContext? Context { get; init; }
    [JsonPropertyName("encryptedKey")] public byte[]? EncryptedKey { get; init; }
    [JsonPropertyName("nonce")] public byte[]? Nonce { get; init; }
    [JsonPropertyName("ciphertext")] public byte[]? Ciphertext { get; init; }
    [JsonPropertyName("tag")] public byte[]? Tag { get; init; }

    public sealed record RecordContext
    {
        [JsonPropertyName("cluster")] public string? Cluster { get; init; }
        [JsonPropertyName("service")] public string? Service { get; init; }
        [JsonPropertyName("key")] public string? Key { get; init; }
    }
}
