using Futuswarm.Cluster.Provisioning.State;

namespace Futuswarm.Cluster.Provisioning.Fake;

public sealed partial class FakeStateCloud
{
    private sealed class Key(string id, string arn, string manager, Dictionary<string, string> tags)
    {
        public string Id { get; } = id;
        public string Arn { get; } = arn;
        public string Manager { get; } = manager;
        public string State { get; set; } = "Enabled";
        public bool Rotation { get; set; }
        public int? DeletionWindowDays { get; set; }
        public Dictionary<string, string> Tags { get; } = tags;
    }

    private readonly Dictionary<string, Key> _keys = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _aliases = new(StringComparer.Ordinal);

    /// <summary>An AWS-managed key (as every account has, e.g. <c>aws/s3</c>): not taggable, not ours.</summary>
    public string AddAwsManagedKey(string alias)
    {
        var key = NewKey("AWS", []);
        _aliases["alias/" + alias] = key.Id;
        return key.Id;
    }

    /// <summary>A customer key made outside the run, tagged as given.</summary>
    public string AddKey(IReadOnlyDictionary<string, string> tags) => NewKey("CUSTOMER", new Dictionary<string, string>(tags)).Id;

    /// <summary>The key's state and, when pending deletion, its window; for assertions.</summary>
    public (string State, bool Rotation, int? DeletionWindowDays) KeyStatus(string keyIdOrArn)
    {
        var key = RequireKey("KeyStatus", keyIdOrArn, allowPending: true);
        return (key.State, key.Rotation, key.DeletionWindowDays);
    }

    public string? AliasTarget(string aliasName) => _aliases.GetValueOrDefault(aliasName);

    public Task<IReadOnlyList<string>> ListKeysAsync(CancellationToken ct)
    {
        Reading();
        return Task.FromResult<IReadOnlyList<string>>(_keys.Keys.ToList());
    }

    public Task<IReadOnlyDictionary<string, string>> ListResourceTagsAsync(string keyId, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(Snapshot(RequireKey("ListResourceTags", keyId, allowPending: true).Tags));
    }

    public Task<KmsKeyInfo> DescribeKeyAsync(string keyId, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(Info(RequireKey("DescribeKey", keyId, allowPending: true)));
    }

    public Task<bool> GetKeyRotationStatusAsync(string keyId, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(RequireKey("GetKeyRotationStatus", keyId).Rotation);
    }

    public Task<IReadOnlyList<KmsAliasInfo>> ListAliasesAsync(CancellationToken ct)
    {
        Reading();
        return Task.FromResult<IReadOnlyList<KmsAliasInfo>>(_aliases.Select(a => new KmsAliasInfo(a.Key, a.Value)).ToList());
    }

    public Task<KmsKeyInfo> CreateKeyAsync(string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateKey", description);
        return Task.FromResult(Info(NewKey("CUSTOMER", new Dictionary<string, string>(tags))));
    }

    public Task EnableKeyRotationAsync(string keyId, CancellationToken ct)
    {
        Mutating("EnableKeyRotation", keyId);
        var key = RequireKey("EnableKeyRotation", keyId);
        if (key.Manager != "CUSTOMER") throw Error("EnableKeyRotation", "AccessDeniedException", "AWS managed keys rotate on their own");
        key.Rotation = true;
        return Task.CompletedTask;
    }

    /// <summary>Test helper for drift: rotation turned off by hand (not a counted call of the interface).</summary>
    public void DisableKeyRotation(string keyIdOrArn) => RequireKey("DisableKeyRotation", keyIdOrArn).Rotation = false;

    public Task TagResourceAsync(string keyId, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("TagResource", $"{keyId} {string.Join(",", tags.Select(t => $"{t.Key}={t.Value}"))}");
        var key = RequireKey("TagResource", keyId);
        foreach (var (k, v) in tags) key.Tags[k] = v;
        return Task.CompletedTask;
    }

    public Task CreateAliasAsync(string aliasName, string targetKeyId, CancellationToken ct)
    {
        Mutating("CreateAlias", $"{aliasName} -> {targetKeyId}");
        CheckAliasName("CreateAlias", aliasName);
        if (_aliases.ContainsKey(aliasName)) throw Error("CreateAlias", "AlreadyExistsException", $"An alias with the name {aliasName} already exists");
        _aliases[aliasName] = RequireKey("CreateAlias", targetKeyId).Id;
        return Task.CompletedTask;
    }

    public Task UpdateAliasAsync(string aliasName, string targetKeyId, CancellationToken ct)
    {
        Mutating("UpdateAlias", $"{aliasName} -> {targetKeyId}");
        CheckAliasName("UpdateAlias", aliasName);
        if (!_aliases.ContainsKey(aliasName)) throw Error("UpdateAlias", "NotFoundException", $"Alias {aliasName} is not found");
        _aliases[aliasName] = RequireKey("UpdateAlias", targetKeyId).Id;
        return Task.CompletedTask;
    }

    public Task DeleteAliasAsync(string aliasName, CancellationToken ct)
    {
        Mutating("DeleteAlias", aliasName);
        CheckAliasName("DeleteAlias", aliasName);
        if (!_aliases.Remove(aliasName)) throw Error("DeleteAlias", "NotFoundException", $"Alias {aliasName} is not found");
        return Task.CompletedTask;
    }

    public Task ScheduleKeyDeletionAsync(string keyId, int pendingWindowInDays, CancellationToken ct)
    {
        Mutating("ScheduleKeyDeletion", $"{keyId} {pendingWindowInDays} days");
        var key = RequireKey("ScheduleKeyDeletion", keyId);
        if (pendingWindowInDays is < 7 or > 30)
            throw Error("ScheduleKeyDeletion", "ValidationException", "PendingWindowInDays must be between 7 and 30");
        if (key.Manager != "CUSTOMER") throw Error("ScheduleKeyDeletion", "AccessDeniedException", "AWS managed keys cannot be deleted");
        key.State = "PendingDeletion";
        key.DeletionWindowDays = pendingWindowInDays;
        return Task.CompletedTask;
    }

    private Key NewKey(string manager, Dictionary<string, string> tags)
    {
        var id = $"{++_nextId:x8}-0000-4000-8000-000000000000";
        var key = new Key(id, $"arn:aws:kms:{Region}:{AccountId}:key/{id}", manager, tags);
        _keys[id] = key;
        return key;
    }

    private static KmsKeyInfo Info(Key key) => new(key.Id, key.Arn, key.State, key.Manager);

    private static void CheckAliasName(string call, string aliasName)
    {
        if (!aliasName.StartsWith("alias/", StringComparison.Ordinal) || aliasName.StartsWith("alias/aws/", StringComparison.Ordinal))
            throw Error(call, "ValidationException", $"Alias must start with alias/ and not alias/aws/: {aliasName}");
    }

    /// <summary>By id or ARN, as KMS takes either; a key pending deletion refuses all but reads.</summary>
    private Key RequireKey(string call, string keyIdOrArn, bool allowPending = false)
    {
        var id = keyIdOrArn.StartsWith("arn:", StringComparison.Ordinal) ? keyIdOrArn[(keyIdOrArn.LastIndexOf('/') + 1)..] : keyIdOrArn;
        if (!_keys.TryGetValue(id, out var key)) throw Error(call, "NotFoundException", $"Key '{keyIdOrArn}' does not exist");
        if (!allowPending && key.State == "PendingDeletion")
            throw Error(call, "KMSInvalidStateException", $"{key.Arn} is pending deletion.");
        return key;
    }
}
