using System.Text.Json;
using System.Text.Json.Nodes;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.State;

/// <summary>The state bucket and each of its settings as S3 reports them (null: the bucket has none).</summary>
public sealed record ObservedBucket(
    string Name, string Region, IReadOnlyDictionary<string, string> Tags, string Versioning,
    BucketEncryption? Encryption, PublicAccessBlock? PublicAccess, string? Policy);

/// <summary>
/// The cluster's state bucket <c>futuswarm-&lt;name&gt;-state-&lt;account&gt;</c> in the cluster's region: versioning on,
/// default encryption SSE-KMS under the cluster's key with S3 Bucket Keys, all four public access blocks, a policy
/// refusing every request not made over TLS, and the cluster's tags. Found by its name, which is unique to the
/// account, so a bucket a failed run left untagged is still found and finished. Each drifted setting is repaired
/// with its one Put call. Kept on destroy unless the spec says otherwise, and even then deleted only when empty:
/// state is never deleted silently.
/// </summary>
public sealed class StateBucketKind(IS3Resources s3, StateSpec spec) : ResourceKind<ObservedBucket>
{
    public const string Versioning = "versioning";
    public const string Encryption = "server_side_encryption";
    public const string PublicAccess = "public_access_block";
    public const string Policy = "policy";

    public override string Kind => "state-bucket";

    /// <summary>A bucket cannot move region; replacing it would throw the state away.</summary>
    public override bool Replaceable => false;

    protected override async Task<IReadOnlyList<ObservedBucket>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var name = spec.BucketName;
        var region = await s3.GetBucketLocationAsync(name, ct);
        if (region is null) return [];
        return [new ObservedBucket(name, region,
            await s3.GetBucketTaggingAsync(name, ct),
            await s3.GetBucketVersioningAsync(name, ct),
            await s3.GetBucketEncryptionAsync(name, ct),
            await s3.GetPublicAccessBlockAsync(name, ct),
            await s3.GetBucketPolicyAsync(name, ct))];
    }

    protected override string IdOf(ObservedBucket observed) => observed.Name;

    /// <summary>Found by name, so it is the state bucket whatever its tags say; missing tags show in the diff.</summary>
    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedBucket observed) =>
        new Dictionary<string, string> { [ClusterTags.Role] = StateAddresses.StateBucket.Role };

    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => [StateAddresses.StateBucket];

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedBucket? observed, ProvisionContext ctx)
    {
        var keyArn = ctx.IdOrPlaceholder(StateAddresses.KmsKey);
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("bucket", spec.BucketName),
                FieldChange.Set("region", spec.Region),
                FieldChange.Set(Versioning, "Enabled"),
                FieldChange.Set(Encryption, EncryptionText(keyArn)),
                FieldChange.Set(PublicAccess, PublicAccessBlock.All.ToString()),
                FieldChange.Set(Policy, "deny requests without TLS (aws:SecureTransport=false)"),
            ])];
        if (observed.Region != spec.Region)
            return [new Change(address, ChangeAction.Replace, "a bucket cannot move region",
                [new FieldChange("region", observed.Region, spec.Region)])];
        var fields = new List<FieldChange>();
        if (observed.Versioning != "Enabled")
            fields.Add(new FieldChange(Versioning, observed.Versioning == "" ? "never enabled" : observed.Versioning, "Enabled"));
        if (!EncryptedWith(observed.Encryption, keyArn))
            fields.Add(new FieldChange(Encryption, observed.Encryption is { } e ? EncryptionText(e) : null, EncryptionText(keyArn)));
        if (observed.PublicAccess != PublicAccessBlock.All)
            fields.Add(new FieldChange(PublicAccess, observed.PublicAccess?.ToString(), PublicAccessBlock.All.ToString()));
        if (!DeniesInsecureTransport(observed.Policy))
            fields.Add(new FieldChange(Policy, observed.Policy is null ? null : "without the TLS-only statement", "deny requests without TLS (aws:SecureTransport=false)"));
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var name = spec.BucketName;
        await s3.CreateBucketAsync(name, spec.Region, ct);
        // S3 cannot tag at creation: a failure before the tags is found again by the bucket's name.
        ctx.Created(change.Address, name, change.Reason);
        await s3.PutBucketTaggingAsync(name, ctx.TagsFor(change.Address), ct);
        await s3.PutPublicAccessBlockAsync(name, PublicAccessBlock.All, ct);
        await s3.PutBucketEncryptionAsync(name, ctx.RequireId(StateAddresses.KmsKey), true, ct);
        await s3.PutBucketVersioningAsync(name, true, ct);
        await s3.PutBucketPolicyAsync(name, PolicyFor(name), ct);
        return name;
    }

    protected override async Task UpdateAsync(Change change, ObservedBucket observed, ProvisionContext ctx, CancellationToken ct)
    {
        var name = observed.Name;
        bool Has(string field) => change.Fields.Any(f => f.Field == field);
        if (Has(PublicAccess)) await s3.PutPublicAccessBlockAsync(name, PublicAccessBlock.All, ct);
        if (Has(Encryption)) await s3.PutBucketEncryptionAsync(name, ctx.RequireId(StateAddresses.KmsKey), true, ct);
        if (Has(Versioning)) await s3.PutBucketVersioningAsync(name, true, ct);
        if (Has(Policy)) await s3.PutBucketPolicyAsync(name, PolicyFor(name), ct);
        if (TagDiff.Any(change))
        {
            // PutBucketTagging replaces the whole set: keep the tags others put on the bucket.
            var merged = new SortedDictionary<string, string>(observed.Tags.ToDictionary(), StringComparer.Ordinal);
            foreach (var (key, value) in ctx.TagsFor(change.Address)) merged[key] = value;
            await s3.PutBucketTaggingAsync(name, merged, ct);
        }
    }

    protected override async Task DeleteAsync(ObservedBucket observed, ProvisionContext ctx, CancellationToken ct)
    {
        if (await s3.HasObjectVersionsAsync(observed.Name, ct))
            throw new FswException(ErrorCodes.StateBucketNotEmpty,
                $"The state bucket {observed.Name} still holds objects (or old versions of them); it was not deleted, and neither was the cluster's KMS key. "
                + "Copy out what must be kept, empty the bucket (every version) yourself, and run the destroy again.");
        await s3.DeleteBucketAsync(observed.Name, ct);
    }

    /// <summary>Only the destroy the spec allows: by default the bucket stays, and the plan says nothing of it.</summary>
    public override async Task<IReadOnlyList<Change>> PlanDestroyAsync(ProvisionContext ctx, CancellationToken ct)
    {
        if (spec.DestroyState) return await base.PlanDestroyAsync(ctx, ct);
        ctx.Log($"{Kind}: kept (destroy keeps the cluster's state bucket unless told to remove the state)");
        return [];
    }

    private static string EncryptionText(string keyArn) => $"aws:kms key={keyArn} bucket_key=true";

    private static string EncryptionText(BucketEncryption e) =>
        e.KmsKeyId is null ? e.Algorithm : $"{e.Algorithm} key={e.KmsKeyId} bucket_key={(e.BucketKeyEnabled ? "true" : "false")}";

    /// <summary>SSE-KMS under the cluster's key (S3 reports it as the ARN or the bare key id it was given) with Bucket Keys.</summary>
    public static bool EncryptedWith(BucketEncryption? observed, string keyArn) =>
        observed is { Algorithm: "aws:kms", BucketKeyEnabled: true, KmsKeyId: { } id }
        && (id == keyArn || keyArn.EndsWith("key/" + id, StringComparison.Ordinal));

    /// <summary>The bucket policy: one statement refusing any request made without TLS.</summary>
    public static string PolicyFor(string bucket) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Sid"] = "DenyInsecureTransport",
            ["Effect"] = "Deny",
            ["Principal"] = "*",
            ["Action"] = "s3:*",
            ["Resource"] = new JsonArray($"arn:aws:s3:::{bucket}", $"arn:aws:s3:::{bucket}/*"),
            ["Condition"] = new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } },
        }),
    }.ToJsonString();

    /// <summary>
    /// Whether a policy (as S3 returns it, reformatted as it likes) has a Deny of <c>s3:*</c> for everyone when
    /// <c>aws:SecureTransport</c> is false. Other statements are left to whoever wrote them.
    /// </summary>
    public static bool DeniesInsecureTransport(string? policy)
    {
        if (string.IsNullOrWhiteSpace(policy)) return false;
        JsonNode? root;
        try { root = JsonNode.Parse(policy); }
        catch (JsonException) { return false; }
        var statements = root?["Statement"] switch
        {
            JsonArray a => a.ToList(),
            JsonObject o => [o],
            _ => [],
        };
        return statements.Any(s =>
            Text(s?["Effect"]) == "Deny"
            && Texts(s?["Action"]).Contains("s3:*")
            && (Text(s?["Principal"]) == "*" || Texts(s?["Principal"]?["AWS"]).Contains("*"))
            && Text(s?["Condition"]?["Bool"]?["aws:SecureTransport"])?.ToLowerInvariant() == "false");
    }

    private static string? Text(JsonNode? node) => node is JsonValue v ? v.ToString() : null;

    private static IReadOnlyList<string?> Texts(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(Text).ToList(),
        JsonValue v => [v.ToString()],
        _ => [],
    };
}
