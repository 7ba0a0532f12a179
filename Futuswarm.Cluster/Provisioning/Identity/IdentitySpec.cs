using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Identity;

/// <summary>
/// What the instance roles need: the cluster, where it lives and the ARN of its KMS key. The key ARN is null until
/// the key exists (an offline plan of a first provision): the plan shows <see cref="ProvisionContext.KnownAfterApply"/>
/// and apply refuses to write a policy without it.
/// </summary>
public sealed record IdentitySpec(string Cluster, string Region, string AccountId, string? KmsKeyArn)
{
    public ClusterNames Names => new(Cluster);

    /// <summary>The two node roles, by address name.</summary>
    public static readonly IReadOnlyList<string> NodeRoles = ["manager", "worker"];

    public static bool IsManager(ResourceAddress address) => address.Name == "manager";

    public string RoleName(ResourceAddress address) => IsManager(address) ? Names.ManagerRole : Names.WorkerRole;

    public string InstanceProfileName(ResourceAddress address) =>
        IsManager(address) ? Names.ManagerInstanceProfile : Names.WorkerInstanceProfile;

    public IdentitySpec Validate()
    {
        try
        {
            _ = Names.StateBucket(AccountId);
        }
        catch (ArgumentException e)
        {
            throw new FswException(ErrorCodes.ProvisionSpecInvalid, $"The cluster's identity: {e.Message}.");
        }
        if (KmsKeyArn is not null && !KmsKeyArn.StartsWith($"arn:aws:kms:{Region}:{AccountId}:key/", StringComparison.Ordinal))
            throw new FswException(ErrorCodes.ProvisionSpecInvalid,
                $"The cluster's KMS key '{KmsKeyArn}' is not a key ARN of account {AccountId} in {Region} (arn:aws:kms:{Region}:{AccountId}:key/<id>).");
        return this;
    }
}
