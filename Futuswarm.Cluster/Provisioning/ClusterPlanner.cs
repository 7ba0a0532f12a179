using Futuswarm.Cluster.Provisioning.Access;
using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Database;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Identity;
using Futuswarm.Cluster.Provisioning.LoadBalancer;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Cluster.Provisioning.State;

namespace Futuswarm.Cluster.Provisioning;

/// <summary>
/// From a cluster definition to what provisioning would do: the state layer (KMS key, state bucket), identity (node
/// roles and instance profiles), access (the nodes' key pair, the wildcard certificate), the network (VPC, gateway,
/// subnets, routes, security groups), the nodes, the load balancer and the database, in one reconciler.
/// </summary>
public static class ClusterPlanner
{
    /// <summary>
    /// The definition's zones are its region's first N letters (a, b, ...): the plan is the same on every account.
    /// Provisioning checks them against DescribeAvailabilityZones before it creates anything.
    /// </summary>
    public static NetworkSpec NetworkOf(ClusterDefinition d) => new(
        d.Name, d.Region, d.VpcCidr.ToString(),
        Enumerable.Range(0, d.AvailabilityZones).Select(i => $"{d.Region}{(char)('a' + i)}").ToList(),
        d.AdminCidrs.Select(c => c.ToString()).ToList(), d.DeployerCidrs.Select(c => c.ToString()).ToList(), d.ApiPort, d.AllowSshFromAnywhere);

    public static StateSpec StateOf(ClusterDefinition d, string accountId, bool destroyState = false) => new(d.Name, d.Region, accountId, destroyState);

    /// <param name="kmsKeyArn">The cluster key's ARN once it exists (the managers' policy names it); null before.</param>
    public static IdentitySpec IdentityOf(ClusterDefinition d, string accountId, string? kmsKeyArn) => new(d.Name, d.Region, accountId, kmsKeyArn);

    /// <summary>The first admin's first key becomes the nodes' EC2 key pair, for bootstrap and repair over SSH.</summary>
    public static AccessSpec AccessOf(ClusterDefinition d) => new(d.Name, d.BaseDomain, d.FirstAdmins[0].Keys[0]);

    public static LoadBalancerSpec LoadBalancerOf(ClusterDefinition d) =>
        new(d.Name, d.BaseDomain, d.NodeGroups.Managers.Count, NetworkOf(d).Zones);

    /// <summary>The nodes in the network's zones and VPC (manager-1's fixed address is in the first zone's subnet).</summary>
    public static ComputeSpec ComputeOf(ClusterDefinition d) => ComputeSpec.From(d, NetworkOf(d));

    /// <summary>Every kind in dependency order: state first (it needs nothing), identity (it names the key and bucket),
    /// access (key pair, certificate), the network, the instances (subnets, groups, instance profiles, key pair), the
    /// load balancer (subnets, groups, certificate, the manager instances' ids), the database (subnets, its group, the
    /// key). Destroy runs them in reverse.</summary>
    /// <param name="destroyState">Whether a destroy removes the state bucket and the KMS key too (kept by default).</param>
    /// <param name="store">The cluster's store, once it exists: the database admin's password is sealed there.</param>
    /// <param name="waits">Replaces every bound, the database's long ones included (tests on fakes pass Immediate).</param>
    public static Reconciler For(ClusterDefinition d, ClusterClouds clouds, string? kmsKeyArn = null, bool destroyState = false,
        Operations.ClusterStore? store = null, WaitOptions? waits = null, Operations.ManagerFirstBoot? managerFirstBoot = null) => new(
    [
        .. StateLayer.For(clouds.Kms, clouds.S3, StateOf(d, clouds.AccountId, destroyState)).Kinds,
        .. IdentityLayer.For(clouds.Iam, IdentityOf(d, clouds.AccountId, kmsKeyArn)).Kinds,
        .. AccessLayer.For(clouds.KeyPairs, clouds.Acm, clouds.AcmTags, AccessOf(d)).Kinds,
        .. NetworkLayer.For(clouds.Ec2, NetworkOf(d)).Kinds,
        .. ComputeLayer.For(clouds.Instances, clouds.Ssm, ComputeOf(d), new ClusterNodeUserData(ComputeOf(d), managerFirstBoot)).Kinds,
        .. LoadBalancerLayer.For(clouds.ElbV2, clouds.Acm, LoadBalancerOf(d)).Kinds,
        .. DatabaseLayer.For(clouds.Rds, DatabaseSpec.Of(d, NetworkOf(d)) with { InstanceWaits = waits ?? DatabaseWaits.Rds },
            store is null ? new UnsealedDatabaseAdmin() : new StoreDatabaseAdminSecrets(store.Store, store.Cipher, store.Cluster)).Kinds,
    ]);

    /// <summary>
    /// The cluster's KMS key ARN and state bucket if they exist (observed by tag, no change made). The managers' policy
    /// names the key and the database admin's password is sealed in the bucket: planning an existing cluster without
    /// them would show drift that is not there.
    /// </summary>
    public static async Task<(string? KmsKeyArn, Operations.ClusterStore? Store)> ObserveStateAsync(ClusterDefinition d, ClusterClouds clouds, CancellationToken ct)
    {
        var ctx = new ProvisionContext(d.Name);
        await StateLayer.For(clouds.Kms, clouds.S3, StateOf(d, clouds.AccountId)).PlanAsync(ctx, ct);
        var key = ctx.IdOf(StateAddresses.KmsKey);
        var bucket = ctx.IdOf(StateAddresses.StateBucket);
        return (key, key is not null && bucket is not null ? clouds.Stores.Open(d.Name, bucket, key) : null);
    }

    /// <summary>The readable plan: the definition with its defaults filled in, then every change and why.</summary>
    public static async Task<string> PlanTextAsync(ClusterDefinition d, ClusterClouds clouds, CancellationToken ct)
    {
        var (key, store) = await ObserveStateAsync(d, clouds, ct);
        var plan = await For(d, clouds, key, store: store).PlanAsync(new ProvisionContext(d.Name), ct);
        return $"""
            # Cluster definition, with defaults
            {ClusterDefinitionWriter.ToJson(d).TrimEnd()}

            # Plan
            {plan.ToText().TrimEnd()}

            """.Replace("\r\n", "\n");
    }
}
