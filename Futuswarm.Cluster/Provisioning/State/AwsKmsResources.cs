using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.State;

/// <summary>
/// <see cref="IKmsResources"/> on AWSSDK.KeyManagementService: a thin mapping, one SDK call per method, list
/// calls paged to the end, and KMS's error code carried in a <see cref="CloudException"/>.
/// </summary>
public sealed class AwsKmsResources(IAmazonKeyManagementService client) : IKmsResources
{
    public async Task<IReadOnlyList<string>> ListKeysAsync(CancellationToken ct)
    {
        var found = new List<string>();
        var request = new ListKeysRequest();
        while (true)
        {
            var response = await Call("ListKeys", () => client.ListKeysAsync(request, ct));
            found.AddRange((response.Keys ?? []).Select(k => k.KeyId));
            if (response.Truncated != true || string.IsNullOrEmpty(response.NextMarker)) return found;
            request.Marker = response.NextMarker;
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> ListResourceTagsAsync(string keyId, CancellationToken ct)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var request = new ListResourceTagsRequest { KeyId = keyId };
        while (true)
        {
            var response = await Call("ListResourceTags", () => client.ListResourceTagsAsync(request, ct));
            foreach (var tag in response.Tags ?? []) tags[tag.TagKey] = tag.TagValue;
            if (response.Truncated != true || string.IsNullOrEmpty(response.NextMarker)) return tags;
            request.Marker = response.NextMarker;
        }
    }

    public async Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken ct) =>
        Map((await Call("DescribeKey", () => client.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, ct))).KeyMetadata);

    public async Task<bool> GetKeyRotationStatusAsync(string keyId, CancellationToken ct) =>
        (await Call("GetKeyRotationStatus", () => client.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyId }, ct))).KeyRotationEnabled ?? false;

    public async Task<IReadOnlyList<KmsAliasInfo>> ListAliasesAsync(CancellationToken ct)
    {
        var found = new List<KmsAliasInfo>();
        var request = new ListAliasesRequest();
        while (true)
        {
            var response = await Call("ListAliases", () => client.ListAliasesAsync(request, ct));
            found.AddRange((response.Aliases ?? []).Select(a => new KmsAliasInfo(a.AliasName, a.TargetKeyId)));
            if (response.Truncated != true || string.IsNullOrEmpty(response.NextMarker)) return found;
            request.Marker = response.NextMarker;
        }
    }

    public async Task<KmsKeyInfo> CreateKeyAsync(string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var request = new CreateKeyRequest
        {
            Description = description,
            KeySpec = KeySpec.SYMMETRIC_DEFAULT,
            KeyUsage = KeyUsageType.ENCRYPT_DECRYPT,
            Tags = TagList(tags),
        };
        return Map((await Call("CreateKey", () => client.CreateKeyAsync(request, ct))).KeyMetadata);
    }

    public Task EnableKeyRotationAsync(string keyId, CancellationToken ct) =>
        Call("EnableKeyRotation", () => client.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId }, ct));

    public Task TagResourceAsync(string keyId, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        Call("TagResource", () => client.TagResourceAsync(new TagResourceRequest { KeyId = keyId, Tags = TagList(tags) }, ct));

    public Task CreateAliasAsync(string aliasName, string targetKeyId, CancellationToken ct) =>
        Call("CreateAlias", () => client.CreateAliasAsync(new CreateAliasRequest { AliasName = aliasName, TargetKeyId = targetKeyId }, ct));

    public Task UpdateAliasAsync(string aliasName, string targetKeyId, CancellationToken ct) =>
        Call("UpdateAlias", () => client.UpdateAliasAsync(new UpdateAliasRequest { AliasName = aliasName, TargetKeyId = targetKeyId }, ct));

    public Task DeleteAliasAsync(string aliasName, CancellationToken ct) =>
        Call("DeleteAlias", () => client.DeleteAliasAsync(new DeleteAliasRequest { AliasName = aliasName }, ct));

    public Task ScheduleKeyDeletionAsync(string keyId, int pendingWindowInDays, CancellationToken ct) =>
        Call("ScheduleKeyDeletion", () => client.ScheduleKeyDeletionAsync(
            new ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = pendingWindowInDays }, ct));

    private static KmsKeyInfo Map(KeyMetadata key) =>
        new(key.KeyId, key.Arn, key.KeyState?.Value ?? "", key.KeyManager?.Value ?? "");

    private static List<Tag> TagList(IReadOnlyDictionary<string, string> tags) =>
        tags.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value }).ToList();

    private static Task<T> Call<T>(string name, Func<Task<T>> call) => Aws.CloudCalls.Sdk(name, call);
}
