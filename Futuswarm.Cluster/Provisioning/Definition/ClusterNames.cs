using System.Text.RegularExpressions;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>
/// The AWS names derived from a cluster's name. Names matter where AWS makes them unique per account or region
/// (buckets, IAM roles, load balancers, RDS identifiers), so two clusters in one account never collide; each is
/// checked against AWS's length limit, which <see cref="DefinitionLimits.MaxNameLength"/> is chosen to satisfy.
/// Resources are still found by the <see cref="TagKey"/> tag, not by name.
/// </summary>
public sealed partial class ClusterNames
{
    /// <summary>On every resource, value = the cluster's name.</summary>
    public const string TagKey = "futuswarm:cluster";

    public const int MaxBucketName = 63;
    public const int MaxIamRoleName = 64;
    public const int MaxElbv2Name = 32;
    public const int MaxSecurityGroupName = 255;
    public const int MaxRdsIdentifier = 63;
    public const int MaxKmsAlias = 256;
    public const int MaxKeyPairName = 255;
    public const int MaxDbSubnetGroupName = 255;

    public string Cluster { get; }

    public ClusterNames(string cluster)
    {
        if (DefinitionRules.CheckName(cluster) is { } reason) throw new ArgumentException($"invalid cluster name: {reason}", nameof(cluster));
        Cluster = cluster;
    }

    string Prefix => $"futuswarm-{Cluster}";

    /// <summary>Bucket names are global across all AWS accounts: the account id makes ours unique, and another
    /// account cannot take the name first.</summary>
    public string StateBucket(string accountId)
    {
        if (!AccountId().IsMatch(accountId)) throw new ArgumentException($"'{accountId}' is not a 12-digit AWS account id", nameof(accountId));
        return Fit($"{Prefix}-state-{accountId}", MaxBucketName);
    }

    public string KmsAlias => Fit($"alias/{Prefix}", MaxKmsAlias);

    /// <summary>The managers' role: the state bucket, and the KMS key only under the cluster's EncryptionContext.</summary>
    public string ManagerRole => Fit($"{Prefix}-manager", MaxIamRoleName);
    /// <summary>The workers' role: pulling images, nothing else.</summary>
    public string WorkerRole => Fit($"{Prefix}-worker", MaxIamRoleName);
    /// <summary>Instance profiles carry their role's name, so the console pairs them at a glance.</summary>
    public string ManagerInstanceProfile => ManagerRole;
    public string WorkerInstanceProfile => WorkerRole;

    /// <summary>All nodes: swarm traffic between them.</summary>
    public string NodesSecurityGroup => Fit($"{Prefix}-nodes", MaxSecurityGroupName);
    /// <summary>Port 22 from the admin CIDRs only.</summary>
    public string AdminSshSecurityGroup => Fit($"{Prefix}-ssh", MaxSecurityGroupName);
    /// <summary>The API port from the deployer CIDRs.</summary>
    public string ApiSecurityGroup => Fit($"{Prefix}-api", MaxSecurityGroupName);
    /// <summary>80/443 from the internet, on the load balancer only.</summary>
    public string LoadBalancerSecurityGroup => Fit($"{Prefix}-alb", MaxSecurityGroupName);
    /// <summary>PostgreSQL from the nodes only.</summary>
    public string DatabaseSecurityGroup => Fit($"{Prefix}-db", MaxSecurityGroupName);

    /// <summary>Also the first label of the load balancer's DNS name, which the base domain's records point at.</summary>
    public string LoadBalancer => Fit(Prefix, MaxElbv2Name);
    /// <summary>ELBv2 names end at 32 characters: "futuswarm-" plus 20 leaves no room for a suffix, hence the short prefix.</summary>
    public string TargetGroup => Fit($"fsw-{Cluster}-edge", MaxElbv2Name);

    public string KeyPair => Fit(Prefix, MaxKeyPairName);
    public string DatabaseInstance => Fit(Prefix, MaxRdsIdentifier);
    public string DatabaseSubnetGroup => Fit(Prefix, MaxDbSubnetGroupName);

    /// <summary>The SSM SecureString a node reads its swarm join token from at boot.</summary>
    public string JoinTokenParameter(bool manager) => $"/futuswarm/{Cluster}/swarm/join-token/{(manager ? "manager" : "worker")}";

    /// <summary>A derived name over its limit is a bug in this class, not in the definition: fail loudly.</summary>
    static string Fit(string name, int max) =>
        name.Length <= max ? name : throw new InvalidOperationException($"derived name '{name}' exceeds AWS's limit of {max} characters");

    [GeneratedRegex("^[0-9]{12}\\z")]
    private static partial Regex AccountId();
}
