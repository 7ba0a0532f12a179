using System.Text.Json;
using System.Text.Json.Nodes;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Identity;

/// <summary>
/// The instance roles' documents. Managers: the state bucket (its objects and listing it, nothing else in S3); the
/// cluster's KMS key for GenerateDataKey and Decrypt only when the EncryptionContext names this cluster (the
/// secrets' context is {cluster, service, key}, DESIGN.md section 6), and through S3 only when the context is the
/// state bucket (the bucket's SSE-KMS under the same key); reading and writing both swarm join tokens (the first
/// manager publishes them after the init, Nodes/Steps/JoinTokenPublishStep). Workers: reading the workers' join token
/// only (pulling images from Docker Hub needs no AWS permission). No wildcard resource. The join tokens are under the
/// AWS-managed key alias/aws/ssm, whose key policy lets the account's principals use it through SSM: no kms statement.
/// </summary>
public static class ClusterPolicies
{
    /// <summary>The one inline policy each role carries.</summary>
    public const string PolicyName = "futuswarm-node";

    public const string Ec2Service = "ec2.amazonaws.com";

    public static string AssumeRole() => Json(new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = Ec2Service },
            ["Action"] = "sts:AssumeRole",
        }),
    });

    public static string StateBucketArn(IdentitySpec spec) => $"arn:aws:s3:::{spec.Names.StateBucket(spec.AccountId)}";

    public static string JoinTokenArn(IdentitySpec spec, bool manager) =>
        $"arn:aws:ssm:{spec.Region}:{spec.AccountId}:parameter{spec.Names.JoinTokenParameter(manager)}";

    /// <summary>The node policy of <paramref name="address"/>'s role.</summary>
    public static string For(ResourceAddress address, IdentitySpec spec) =>
        IdentitySpec.IsManager(address) ? Manager(spec) : Worker(spec);

    public static string Manager(IdentitySpec spec)
    {
        var bucket = StateBucketArn(spec);
        return Json(new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(
                new JsonObject
                {
                    ["Sid"] = "StateBucketList",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("s3:ListBucket"),
                    ["Resource"] = new JsonArray(bucket),
                },
                new JsonObject
                {
                    ["Sid"] = "StateBucketObjects",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                    ["Resource"] = new JsonArray($"{bucket}/*"),
                },
                new JsonObject
                {
                    ["Sid"] = "ClusterKeyUnderClusterContext",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("kms:GenerateDataKey", "kms:Decrypt"),
                    ["Resource"] = new JsonArray(spec.KmsKeyArn ?? ProvisionContext.KnownAfterApply),
                    ["Condition"] = new JsonObject
                    {
                        ["StringEquals"] = new JsonObject { ["kms:EncryptionContext:cluster"] = spec.Cluster },
                    },
                },
                new JsonObject
                {
                    // The state bucket is SSE-KMS under the same key with an S3 Bucket Key: S3 asks KMS on the manager's
                    // behalf with the bucket's ARN as EncryptionContext, never the cluster's. Only through S3, only that bucket.
                    ["Sid"] = "ClusterKeyForStateBucket",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("kms:GenerateDataKey", "kms:Decrypt"),
                    ["Resource"] = new JsonArray(spec.KmsKeyArn ?? ProvisionContext.KnownAfterApply),
                    ["Condition"] = new JsonObject
                    {
                        ["StringEquals"] = new JsonObject
                        {
                            ["kms:ViaService"] = $"s3.{spec.Region}.amazonaws.com",
                            ["kms:EncryptionContext:aws:s3:arn"] = bucket,
                        },
                    },
                },
                new JsonObject
                {
                    ["Sid"] = "SwarmJoinTokens",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("ssm:GetParameter", "ssm:PutParameter"),
                    ["Resource"] = new JsonArray(JoinTokenArn(spec, manager: false), JoinTokenArn(spec, manager: true)),
                }),
        });
    }

    public static string Worker(IdentitySpec spec) => Json(new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Sid"] = "SwarmJoinToken",
            ["Effect"] = "Allow",
            ["Action"] = new JsonArray("ssm:GetParameter"),
            ["Resource"] = new JsonArray(JoinTokenArn(spec, manager: false)),
        }),
    });

    private static string Json(JsonObject o) => o.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
