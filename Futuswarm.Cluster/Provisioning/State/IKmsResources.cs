namespace Futuswarm.Cluster.Provisioning.State;

/// <summary>A KMS key as DescribeKey reports it; <see cref="Arn"/> is what the cluster's resources name it by.</summary>
public sealed record KmsKeyInfo(string KeyId, string Arn, string KeyState, string KeyManager);

/// <summary>An alias and the key it points at (null for an alias without a target).</summary>
public sealed record KmsAliasInfo(string AliasName, string? TargetKeyId);

/// <summary>
/// Exactly the KMS calls the state resources use, one method per API action. AwsKmsResources maps them onto
/// AmazonKeyManagementServiceClient; FakeStateCloud keeps an in-memory KMS behind them. Failures are
/// CloudException with KMS's error code (<c>NotFoundException</c>, <c>AlreadyExistsException</c>, ...).
/// </summary>
public interface IKmsResources
{
    /// <summary>Every key id in the account and region, paged to the end.</summary>
    Task<IReadOnlyList<string>> ListKeysAsync(CancellationToken ct);
    Task<IReadOnlyDictionary<string, string>> ListResourceTagsAsync(string keyId, CancellationToken ct);
    Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken ct);
    Task<bool> GetKeyRotationStatusAsync(string keyId, CancellationToken ct);
    /// <summary>Every alias in the account and region, paged to the end.</summary>
    Task<IReadOnlyList<KmsAliasInfo>> ListAliasesAsync(CancellationToken ct);

    /// <summary>A symmetric encrypt/decrypt key, tagged at creation.</summary>
    Task<KmsKeyInfo> CreateKeyAsync(string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task EnableKeyRotationAsync(string keyId, CancellationToken ct);
    Task TagResourceAsync(string keyId, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task CreateAliasAsync(string aliasName, string targetKeyId, CancellationToken ct);
    Task UpdateAliasAsync(string aliasName, string targetKeyId, CancellationToken ct);
    Task DeleteAliasAsync(string aliasName, CancellationToken ct);
    Task ScheduleKeyDeletionAsync(string keyId, int pendingWindowInDays, CancellationToken ct);
}
