using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.State;

/// <summary>The cluster's key as KMS reports it: the key, its tags, whether rotation is on.</summary>
public sealed record ObservedKmsKey(KmsKeyInfo Key, IReadOnlyDictionary<string, string> Tags, bool RotationEnabled);

/// <summary>
/// The cluster's KMS key: symmetric (encrypt/decrypt), yearly rotation on, tagged, and the alias
/// <c>alias/futuswarm-&lt;name&gt;</c> pointing at it. Found by its tags (KMS has no tag filter: every key's tags
/// are read once per run); keys already pending deletion are no longer the cluster's. Kept on destroy unless the
/// spec says otherwise, and even then only scheduled for deletion with KMS's shortest window (7 days).
/// </summary>
public sealed class KmsKeyKind(IKmsResources kms, StateSpec spec) : ResourceKind<ObservedKmsKey>
{
    private IReadOnlyList<KmsAliasInfo> _aliases = [];

    public override string Kind => "kms-key";

    /// <summary>Replacing the key would leave every secret encrypted under the old one unreadable.</summary>
    public override bool Replaceable => false;

    protected override async Task<IReadOnlyList<ObservedKmsKey>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var observed = new List<ObservedKmsKey>();
        foreach (var keyId in await kms.ListKeysAsync(ct))
        {
            IReadOnlyDictionary<string, string> tags;
            try
            {
                tags = await kms.ListResourceTagsAsync(keyId, ct);
            }
            catch (CloudException e) when (e.Code == "AccessDeniedException")
            {
                continue; // a key another team's policy hides from us is not the cluster's
            }
            if (tags.GetValueOrDefault(ClusterTags.Cluster) != ctx.Cluster) continue;
            var key = await kms.DescribeKeyAsync(keyId, ct);
            if (key.KeyState is "PendingDeletion" or "PendingReplicaDeletion") continue;
            observed.Add(new ObservedKmsKey(key, tags, await kms.GetKeyRotationStatusAsync(keyId, ct)));
        }
        _aliases = await kms.ListAliasesAsync(ct);
        return observed;
    }

    protected override string IdOf(ObservedKmsKey observed) => observed.Key.Arn;
    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedKmsKey observed) => observed.Tags;
    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [StateAddresses.KmsKey];

    /// <summary>The key the cluster's alias points at now; null when there is no alias.</summary>
    private string? AliasTarget => _aliases.FirstOrDefault(a => a.AliasName == spec.AliasName)?.TargetKeyId;

    private bool AliasExists => _aliases.Any(a => a.AliasName == spec.AliasName);

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedKmsKey? observed, ProvisionContext ctx)
    {
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("key_spec", "SYMMETRIC_DEFAULT"),
                FieldChange.Set("key_rotation", "true"),
                new FieldChange("alias", AliasExists ? $"{spec.AliasName} -> {AliasTarget}" : null, $"{spec.AliasName} -> {ctx.IdOrPlaceholder(address)}"),
            ])];
        var fields = new List<FieldChange>();
        if (!observed.RotationEnabled) fields.Add(new FieldChange("key_rotation", "false", "true"));
        if (AliasTarget != observed.Key.KeyId)
            fields.Add(new FieldChange("alias", AliasExists ? $"{spec.AliasName} -> {AliasTarget}" : null, $"{spec.AliasName} -> {observed.Key.KeyId}"));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var key = await kms.CreateKeyAsync($"Futuswarm cluster {ctx.Cluster}: secrets and state", ctx.TagsFor(change.Address), ct);
        ctx.Created(change.Address, key.Arn, change.Reason);
        await Settled(c => kms.EnableKeyRotationAsync(key.KeyId, c), ctx, ct);
        await PointAliasAsync(change, key.KeyId, ctx, ct);
        return key.Arn;
    }

    protected override async Task UpdateAsync(Change change, ObservedKmsKey observed, ProvisionContext ctx, CancellationToken ct)
    {
        if (change.Fields.Any(f => f.Field == "key_rotation")) await kms.EnableKeyRotationAsync(observed.Key.KeyId, ct);
        if (change.Fields.Any(f => f.Field == "alias")) await PointAliasAsync(change, observed.Key.KeyId, ctx, ct);
        if (TagDiff.Any(change)) await kms.TagResourceAsync(observed.Key.KeyId, ctx.TagsFor(change.Address), ct);
    }

    protected override async Task DeleteAsync(ObservedKmsKey observed, ProvisionContext ctx, CancellationToken ct)
    {
        // The alias goes first: left behind it would point at a key pending deletion.
        if (AliasTarget == observed.Key.KeyId) await kms.DeleteAliasAsync(spec.AliasName, ct);
        await kms.ScheduleKeyDeletionAsync(observed.Key.KeyId, StateSpec.KeyDeletionWindowDays, ct);
        ctx.Log($"KMS key {observed.Key.KeyId} is scheduled for deletion in {StateSpec.KeyDeletionWindowDays} days; CancelKeyDeletion brings it back until then.");
    }

    /// <summary>Only the destroy the spec allows: by default the key stays, and the plan says nothing of it.</summary>
    public override async Task<IReadOnlyList<Change>> PlanDestroyAsync(ProvisionContext ctx, CancellationToken ct)
    {
        if (spec.DestroyState) return await base.PlanDestroyAsync(ctx, ct);
        ctx.Log($"{Kind}: kept (destroy keeps the cluster's key unless told to remove the state)");
        return [];
    }

    private async Task PointAliasAsync(Change change, string keyId, ProvisionContext ctx, CancellationToken ct)
    {
        var alias = change.Fields.First(f => f.Field == "alias");
        if (alias.From is null) await Settled(c => kms.CreateAliasAsync(spec.AliasName, keyId, c), ctx, ct);
        else await Settled(c => kms.UpdateAliasAsync(spec.AliasName, keyId, c), ctx, ct);
    }

    /// <summary>A key created a moment ago may not be known yet to the endpoint that answers.</summary>
    private static Task Settled(Func<CancellationToken, Task> call, ProvisionContext ctx, CancellationToken ct) =>
        Retry.OnEventualConsistencyAsync(call, e => e.Code == "NotFoundException", ctx.Waits, ct);
}
