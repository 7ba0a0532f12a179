using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.State;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The state resources (KMS key and alias, state bucket) against the fake KMS and S3.</summary>
public class ProvisioningStateTests
{
    private const string Bucket = "futuswarm-demo-state-123456789012";
    private const string Alias = "alias/futuswarm-demo";

    private static readonly StateSpec Spec = new("demo", "eu-north-1", "123456789012");

    private readonly FakeStateCloud _cloud = new();

    public ProvisioningStateTests()
    {
        // What every account has besides the cluster: an AWS-managed key and another cluster's key.
        _cloud.AddAwsManagedKey("aws/s3");
        _cloud.AddKey(new Dictionary<string, string> { [ClusterTags.Cluster] = "other", [ClusterTags.Role] = "kms-key" });
    }

    private static ProvisionContext Ctx(List<string>? log = null) => new("demo", WaitOptions.Immediate, log: log is null ? null : log.Add);

    private Reconciler Layer(StateSpec? spec = null) => StateLayer.For(_cloud, _cloud, spec ?? Spec);

    private Task<Plan> ApplyAsync() => Layer().ApplyAsync(Ctx(), CancellationToken.None);

    private Task<Plan> PlanAsync() => Layer().PlanAsync(Ctx(), CancellationToken.None);

    private async Task<KmsKeyInfo> KeyAsync()
    {
        var ours = new List<KmsKeyInfo>();
        foreach (var id in await _cloud.ListKeysAsync(default))
            if ((await _cloud.ListResourceTagsAsync(id, default)).GetValueOrDefault(ClusterTags.Cluster) == "demo")
                ours.Add(await _cloud.DescribeKeyAsync(id, default));
        return ours.Single(k => k.KeyState == "Enabled");
    }

    [Fact]
    public async Task FullProvisionFromNothing()
    {
        var applied = await ApplyAsync();

        Assert.Equal(2, applied.Count(ChangeAction.Create));
        Assert.Equal(
        [
            "CreateKey", "EnableKeyRotation", "CreateAlias",
            "CreateBucket", "PutBucketTagging", "PutPublicAccessBlock", "PutBucketEncryption", "PutBucketVersioning", "PutBucketPolicy",
        ], _cloud.CallNames);

        var key = await KeyAsync();
        Assert.Equal(["kms-key " + key.KeyId, "state-bucket " + Bucket], _cloud.Tagged("demo"));
        Assert.Equal("CUSTOMER", key.KeyManager);
        Assert.True(await _cloud.GetKeyRotationStatusAsync(key.KeyId, default));
        Assert.Equal(key.KeyId, _cloud.AliasTarget(Alias));
        var keyTags = await _cloud.ListResourceTagsAsync(key.KeyId, default);
        Assert.Equal(("demo", "kms-key", "demo-kms-key"), (keyTags[ClusterTags.Cluster], keyTags[ClusterTags.Role], keyTags[ClusterTags.Name]));

        Assert.Equal("eu-north-1", await _cloud.GetBucketLocationAsync(Bucket, default));
        Assert.Equal("Enabled", await _cloud.GetBucketVersioningAsync(Bucket, default));
        Assert.Equal(new BucketEncryption("aws:kms", key.Arn, true), await _cloud.GetBucketEncryptionAsync(Bucket, default));
        Assert.Equal(PublicAccessBlock.All, await _cloud.GetPublicAccessBlockAsync(Bucket, default));
        var policy = await _cloud.GetBucketPolicyAsync(Bucket, default);
        Assert.True(StateBucketKind.DeniesInsecureTransport(policy));
        Assert.Contains($"\"arn:aws:s3:::{Bucket}/*\"", policy);
        Assert.Equal("state-bucket", (await _cloud.GetBucketTaggingAsync(Bucket, default))[ClusterTags.Role]);

        // The other cluster's key and the AWS-managed one are untouched.
        Assert.Equal(["kms-key 00000002-0000-4000-8000-000000000000"], _cloud.Tagged("other"));
        Assert.Equal("00000001-0000-4000-8000-000000000000", _cloud.AliasTarget("alias/aws/s3"));
    }

    [Fact]
    public async Task SecondRunMakesNoMutatingCall()
    {
        await ApplyAsync();
        _cloud.ResetCalls();

        var plan = await PlanAsync();
        var applied = await ApplyAsync();

        Assert.True(plan.IsEmpty);
        Assert.True(applied.IsEmpty);
        Assert.Empty(_cloud.Calls);
        Assert.Equal("Cluster \"demo\": no changes, the cloud matches the definition.", plan.Summary);
    }

    [Theory]
    [InlineData("versioning suspended", "PutBucketVersioning")]
    [InlineData("encryption removed", "PutBucketEncryption")]
    [InlineData("encryption with another key", "PutBucketEncryption")]
    [InlineData("public access block relaxed", "PutPublicAccessBlock")]
    [InlineData("policy removed", "PutBucketPolicy")]
    [InlineData("bucket tags replaced", "PutBucketTagging")]
    [InlineData("alias deleted", "CreateAlias")]
    [InlineData("alias pointing elsewhere", "UpdateAlias")]
    [InlineData("rotation disabled", "EnableKeyRotation")]
    [InlineData("key tag removed", "TagResource")]
    public async Task DriftIsRepairedWithExactlyTheNeededCall(string drift, string call)
    {
        await ApplyAsync();
        var key = await KeyAsync();
        switch (drift)
        {
            case "versioning suspended": await _cloud.PutBucketVersioningAsync(Bucket, false, default); break;
            case "encryption removed": _cloud.RemoveEncryption(Bucket); break;
            case "encryption with another key":
                await _cloud.PutBucketEncryptionAsync(Bucket, _cloud.AddKey(new Dictionary<string, string>()), true, default); break;
            case "public access block relaxed":
                await _cloud.PutPublicAccessBlockAsync(Bucket, PublicAccessBlock.All with { BlockPublicPolicy = false }, default); break;
            case "policy removed": _cloud.RemovePolicy(Bucket); break;
            case "bucket tags replaced": await _cloud.PutBucketTaggingAsync(Bucket, new Dictionary<string, string> { ["team"] = "ops" }, default); break;
            case "alias deleted": await _cloud.DeleteAliasAsync(Alias, default); break;
            case "alias pointing elsewhere": await _cloud.UpdateAliasAsync(Alias, _cloud.AddKey(new Dictionary<string, string>()), default); break;
            case "rotation disabled": _cloud.DisableKeyRotation(key.KeyId); break;
            case "key tag removed": await _cloud.TagResourceAsync(key.KeyId, new Dictionary<string, string> { [ClusterTags.Name] = "renamed" }, default); break;
        }
        _cloud.ResetCalls();

        var applied = await ApplyAsync();

        Assert.Equal([call], _cloud.CallNames);
        Assert.Equal(ChangeAction.Update, applied.Changes.Single().Action);
        _cloud.ResetCalls();
        Assert.True((await ApplyAsync()).IsEmpty);
        Assert.Empty(_cloud.Calls);
        Assert.Equal(key.KeyId, _cloud.AliasTarget(Alias));
        if (drift == "bucket tags replaced")
            Assert.Equal("ops", (await _cloud.GetBucketTaggingAsync(Bucket, default))["team"]);
    }

    [Fact]
    public async Task DriftPlanIsReadable()
    {
        await ApplyAsync();
        var key = await KeyAsync();
        await _cloud.PutBucketVersioningAsync(Bucket, false, default);
        _cloud.RemoveEncryption(Bucket);
        await _cloud.PutPublicAccessBlockAsync(Bucket, PublicAccessBlock.All with { RestrictPublicBuckets = false }, default);
        await _cloud.DeleteAliasAsync(Alias, default);

        var plan = await PlanAsync();

        Assert.Equal(
            $"""
            Cluster "demo": 0 to create, 2 to update, 0 to replace, 0 to delete.

            ~ kms-key  # drifted
                + alias: {Alias} -> {key.KeyId}

            ~ state-bucket  # drifted
                ~ versioning: Suspended -> Enabled
                + server_side_encryption: aws:kms key={key.Arn} bucket_key=true
                ~ public_access_block: block_public_acls=true ignore_public_acls=true block_public_policy=true restrict_public_buckets=false -> block_public_acls=true ignore_public_acls=true block_public_policy=true restrict_public_buckets=true

            """.Replace("\r\n", "\n"), plan.ToText());

        _cloud.ResetCalls();
        await ApplyAsync();
        Assert.Equal(["CreateAlias", "PutPublicAccessBlock", "PutBucketEncryption", "PutBucketVersioning"], _cloud.CallNames);
    }

    [Fact]
    public async Task PlanFromNothingIsReadable()
    {
        var plan = await PlanAsync();

        Assert.Equal(
            """
            Cluster "demo": 2 to create, 0 to update, 0 to replace, 0 to delete.

            + kms-key  # not found
                + key_spec: SYMMETRIC_DEFAULT
                + key_rotation: true
                + alias: alias/futuswarm-demo -> (known after apply)

            + state-bucket  # not found
                + bucket: futuswarm-demo-state-123456789012
                + region: eu-north-1
                + versioning: Enabled
                + server_side_encryption: aws:kms key=(known after apply) bucket_key=true
                + public_access_block: block_public_acls=true ignore_public_acls=true block_public_policy=true restrict_public_buckets=true
                + policy: deny requests without TLS (aws:SecureTransport=false)

            """.Replace("\r\n", "\n"), plan.ToText());
        Assert.Empty(_cloud.Calls);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public async Task FailureHalfWayThenRerunCompletesWithoutDuplicates(int failing)
    {
        _cloud.FailMutatingCall(failing);
        var journal = new ApplyJournal();

        var error = await Assert.ThrowsAsync<FswException>(() =>
            Layer().ApplyAsync(new ProvisionContext("demo", WaitOptions.Immediate, journal), CancellationToken.None));

        Assert.Equal(ErrorCodes.CloudCallFailed, error.Code);
        Assert.Contains("injected failure", error.Message);
        // The journal of the failed run names what exists: the key once CreateKey answered, the bucket once CreateBucket did.
        Assert.Equal(failing > 1 ? 1 : 0, journal.Created.Count(e => e.Address == StateAddresses.KmsKey));
        Assert.Equal(failing > 4 ? 1 : 0, journal.Created.Count(e => e.Address == StateAddresses.StateBucket));

        _cloud.ResetCalls();
        await ApplyAsync();
        Assert.DoesNotContain("CreateKey", failing > 1 ? _cloud.CallNames : []);
        Assert.DoesNotContain("CreateBucket", failing > 4 ? _cloud.CallNames : []);

        var key = await KeyAsync();
        Assert.Equal(["kms-key " + key.KeyId, "state-bucket " + Bucket], _cloud.Tagged("demo"));
        Assert.Equal(key.KeyId, _cloud.AliasTarget(Alias));
        Assert.Equal(new BucketEncryption("aws:kms", key.Arn, true), await _cloud.GetBucketEncryptionAsync(Bucket, default));
        _cloud.ResetCalls();
        Assert.True((await ApplyAsync()).IsEmpty);
        Assert.Empty(_cloud.Calls);
    }

    [Fact]
    public async Task DestroyKeepsKeyAndBucketByDefault()
    {
        await ApplyAsync();
        _cloud.PutObject(Bucket, "journal/1.json");
        _cloud.ResetCalls();
        var log = new List<string>();

        var plan = await Layer().PlanDestroyAsync(Ctx(), CancellationToken.None);
        var destroyed = await Layer().DestroyAsync(Ctx(log), CancellationToken.None);

        Assert.True(plan.IsEmpty);
        Assert.True(destroyed.IsEmpty);
        Assert.Empty(_cloud.Calls);
        Assert.Equal(2, _cloud.Tagged("demo").Count);
        Assert.Contains(log, l => l.StartsWith("state-bucket: kept", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("kms-key: kept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DestroyWhenToldRemovesAnEmptyBucketAndSchedulesTheKeyDeletion()
    {
        await ApplyAsync();
        var key = await KeyAsync();
        _cloud.ResetCalls();
        var told = Spec with { DestroyState = true };

        var plan = await Layer(told).PlanDestroyAsync(Ctx(), CancellationToken.None);
        Assert.Equal(
            $"""
            Cluster "demo": 0 to create, 0 to update, 0 to replace, 2 to delete.

            - state-bucket  # destroy
                - id: {Bucket}

            - kms-key  # destroy
                - id: {key.Arn}

            """.Replace("\r\n", "\n"), plan.ToText());

        await Layer(told).DestroyAsync(Ctx(), CancellationToken.None);

        Assert.Equal(["DeleteBucket", "DeleteAlias", "ScheduleKeyDeletion"], _cloud.CallNames);
        Assert.False(_cloud.BucketExists(Bucket));
        Assert.Null(_cloud.AliasTarget(Alias));
        Assert.Equal(("PendingDeletion", (int?)7), (_cloud.KeyStatus(key.KeyId).State, _cloud.KeyStatus(key.KeyId).DeletionWindowDays));
        Assert.Empty(_cloud.Tagged("demo"));

        // Done is done: a key pending deletion is no longer the cluster's, so a second destroy has nothing to do.
        _cloud.ResetCalls();
        Assert.True((await Layer(told).DestroyAsync(Ctx(), CancellationToken.None)).IsEmpty);
        Assert.Empty(_cloud.Calls);
    }

    [Fact]
    public async Task DestroyWhenToldRefusesABucketWithState()
    {
        await ApplyAsync();
        var key = await KeyAsync();
        _cloud.PutObject(Bucket, "secrets/db.enc");
        _cloud.ResetCalls();

        var error = await Assert.ThrowsAsync<FswException>(() =>
            Layer(Spec with { DestroyState = true }).DestroyAsync(Ctx(), CancellationToken.None));

        Assert.Equal(ErrorCodes.StateBucketNotEmpty, error.Code);
        Assert.Contains(Bucket, error.Message);
        Assert.Empty(_cloud.Calls);
        Assert.True(_cloud.BucketExists(Bucket));
        Assert.Equal("Enabled", _cloud.KeyStatus(key.KeyId).State);
        Assert.Equal(key.KeyId, _cloud.AliasTarget(Alias));
    }

    [Fact]
    public async Task AfterTheKeyWasScheduledForDeletionAProvisionMakesANewOne()
    {
        await ApplyAsync();
        var old = await KeyAsync();
        await Layer(Spec with { DestroyState = true }).DestroyAsync(Ctx(), CancellationToken.None);
        _cloud.ResetCalls();

        await ApplyAsync();

        var key = await KeyAsync();
        Assert.NotEqual(old.KeyId, key.KeyId);
        Assert.Equal(key.KeyId, _cloud.AliasTarget(Alias));
        Assert.Equal("CreateKey", _cloud.CallNames[0]);
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Deny","Principal":{"AWS":"*"},"Action":["s3:*"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""", true)]
    [InlineData("""{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":false}}}}""", true)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""", false)]
    [InlineData("""{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""", false)]
    [InlineData("not json", false)]
    [InlineData(null, false)]
    public void PolicyCheckReadsThePolicyAsS3ReturnsIt(string? policy, bool denies)
    {
        Assert.Equal(denies, StateBucketKind.DeniesInsecureTransport(policy));
        Assert.True(StateBucketKind.DeniesInsecureTransport(StateBucketKind.PolicyFor("b")));
    }

    [Fact]
    public void SpecIsValidated()
    {
        Assert.Equal(ErrorCodes.ProvisionSpecInvalid, Assert.Throws<FswException>(() => (Spec with { AccountId = "12" }).Validate()).Code);
        Assert.Equal(ErrorCodes.ProvisionSpecInvalid,
            Assert.Throws<FswException>(() => (Spec with { Cluster = new string('a', 40) }).Validate()).Code);
        Assert.Equal("futuswarm-demo-state-123456789012", Spec.BucketName);
        Assert.Equal("alias/futuswarm-demo", Spec.AliasName);
    }
}
