using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Access;

/// <summary>
/// The EC2 key pair <c>futuswarm-&lt;cluster&gt;</c> (<c>key-pair</c>): the first admin's OpenSSH public key, so the nodes
/// can be reached over SSH for bootstrap and repair. Found by its name (unique per region). EC2 cannot change a key
/// pair's material, so a key pair of that name with another fingerprint is replaced: deleted, then imported again.
/// </summary>
public sealed class KeyPairKind(IEc2KeyPairs ec2, AccessSpec spec) : ResourceKind<KeyPairInfo>
{
    public const string KindName = "key-pair";
    private const string FingerprintField = "fingerprint";

    public static ResourceAddress Address { get; } = new(KindName);

    public override string Kind => KindName;

    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [Address];

    protected override async Task<IReadOnlyList<KeyPairInfo>> ObserveAsync(ProvisionContext ctx, CancellationToken ct) =>
        await ec2.DescribeKeyPairAsync(spec.KeyPairName, ct) is { } found ? [found] : [];

    protected override string IdOf(KeyPairInfo observed) => observed.KeyPairId;

    // Found by name, so addressed by name: a key pair whose tags were edited is still this one (and its tags drift).
    protected override IReadOnlyDictionary<string, string> TagsOf(KeyPairInfo observed) =>
        new Dictionary<string, string> { [ClusterTags.Role] = Address.Role };

    public override IReadOnlyList<Change> Diff(ResourceAddress address, KeyPairInfo? observed, ProvisionContext ctx)
    {
        var want = KeyFingerprint.Of(spec.AdminPublicKey);
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("name", spec.KeyPairName), FieldChange.Set(FingerprintField, want)])];
        if (!KeyFingerprint.Same(observed.Fingerprint, want))
            return [new Change(address, ChangeAction.Replace,
                "another key material: EC2 cannot change a key pair's key, so it is deleted and the first admin's key imported again",
                [new FieldChange(FingerprintField, observed.Fingerprint, want)])];
        var tags = TagDiff.Fields(ctx.TagsFor(address), observed.Tags).ToList();
        return tags.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", tags)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var imported = await ec2.ImportKeyPairAsync(spec.KeyPairName, spec.AdminPublicKey, ctx.TagsFor(change.Address), ct);
        ctx.Created(change.Address, imported.KeyPairId, $"{imported.KeyName} {imported.Fingerprint}");
        return imported.KeyPairId;
    }

    protected override Task UpdateAsync(Change change, KeyPairInfo observed, ProvisionContext ctx, CancellationToken ct) =>
        ec2.CreateTagsAsync(observed.KeyPairId, ctx.TagsFor(change.Address), ct);

    protected override Task DeleteAsync(KeyPairInfo observed, ProvisionContext ctx, CancellationToken ct) =>
        ec2.DeleteKeyPairAsync(observed.KeyPairId, ct);
}
