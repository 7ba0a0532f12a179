using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.State;

/// <summary>
/// What the cluster's state resources need: the cluster's name and region, the AWS account id (it makes the
/// bucket's global name unique) and whether a destroy may remove them. By default a destroy keeps the KMS key
/// and the state bucket: they hold the cluster's secrets and its journal, which outlive the machines.
/// </summary>
public sealed record StateSpec(string Cluster, string Region, string AccountId, bool DestroyState = false)
{
    public string BucketName => $"futuswarm-{Cluster}-state-{AccountId}";
    public string AliasName => $"alias/futuswarm-{Cluster}";

    /// <summary>The shortest window KMS allows between scheduling a key's deletion and the deletion.</summary>
    public const int KeyDeletionWindowDays = 7;

    public void Validate()
    {
        if (AccountId.Length != 12 || !AccountId.All(char.IsAsciiDigit))
            throw new FswException(ErrorCodes.ProvisionSpecInvalid, $"The AWS account id \"{AccountId}\" is not 12 digits.");
        if (string.IsNullOrWhiteSpace(Region))
            throw new FswException(ErrorCodes.ProvisionSpecInvalid, "The cluster's region is empty.");
        if (BucketName.Length > 63)
            throw new FswException(ErrorCodes.ProvisionSpecInvalid,
                $"The state bucket name \"{BucketName}\" is longer than S3's 63 characters: shorten the cluster name.");
    }
}

/// <summary>The addresses of the state resources.</summary>
public static class StateAddresses
{
    public static readonly ResourceAddress KmsKey = new("kms-key");
    public static readonly ResourceAddress StateBucket = new("state-bucket");
}

/// <summary>
/// The cluster's state resources, in dependency order: the KMS key (and its alias), then the state bucket
/// encrypted with it. Destroy runs them in reverse, the bucket first, and only when the spec says so.
/// </summary>
public static class StateLayer
{
    public static Reconciler For(IKmsResources kms, IS3Resources s3, StateSpec spec)
    {
        spec.Validate();
        return new Reconciler([new KmsKeyKind(kms, spec), new StateBucketKind(s3, spec)]);
    }
}
