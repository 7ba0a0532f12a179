using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.State;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>What a provision or repair changed, and what the operator needs from it.</summary>
/// <param name="Applied">Every change made, in order; empty on a converged cluster.</param>
/// <param name="AdminsSeeded">True when this run wrote the first admins into a new ACL.</param>
/// <param name="ApiHostKey">The API's SSH host key (public half): developers' profiles pin it.</param>
/// <param name="Deferred">Changes planned but not made in this run, with why (the HTTPS listener until the certificate is issued): a later run makes them.</param>
/// <param name="Nodes">The cluster's instances after the run.</param>
public sealed record ProvisionReport(string Cluster, Plan Applied, bool AdminsSeeded, string ApiHostKey, bool ApiHostKeyCreated,
    IReadOnlyList<Change> Deferred, IReadOnlyList<ClusterNode> Nodes);

/// <summary>The cluster at a glance: what differs from the definition, and its nodes.</summary>
public sealed record ClusterStatusReport(Plan Drift, IReadOnlyList<ClusterNode> Nodes);

/// <summary>
/// The cluster-wide operations behind the build's targets, on any <see cref="ClusterClouds"/> (the real account or
/// the fakes). Provision runs in two phases: the state layer first (the store and the key the others need: the
/// managers' policy names the key's ARN), then the store's seeds (first admins, API host key), then every layer.
/// Each phase observes by tags, so a repeat or a run after a failure half-way picks up what exists.
/// </summary>
public sealed class ClusterOperations(ClusterDefinition definition, ClusterClouds clouds, Action<string> log, WaitOptions? waits = null)
{
    public ClusterDefinition Definition { get; } = definition;

    /// <summary>What <see cref="ProvisionAsync"/> would change, observing the account; changes nothing.</summary>
    public async Task<Plan> PlanAsync(CancellationToken ct)
    {
        var (key, store) = await ClusterPlanner.ObserveStateAsync(Definition, clouds, ct);
        return await ClusterPlanner.For(Definition, clouds, key, store: store, waits: waits).PlanAsync(Context(), ct);
    }

    /// <summary>Creates what is missing and repairs what drifted; a converged cluster makes no mutating call.</summary>
    public async Task<ProvisionReport> ProvisionAsync(CancellationToken ct)
    {
        var ctx = Context();
        log("== state: the cluster's KMS key and state bucket");
        var state = await StateLayer.For(clouds.Kms, clouds.S3, ClusterPlanner.StateOf(Definition, clouds.AccountId)).ApplyAsync(ctx, ct);
        var keyArn = ctx.RequireId(StateAddresses.KmsKey);
        var store = clouds.Stores.Open(Definition.Name, ctx.RequireId(StateAddresses.StateBucket), keyArn);

        log("== store: first admins and the API host key");
        var seeded = await FirstAdmins.SeedAsync(store, Definition, ct);
        log(seeded ? $"acl.json: seeded with {Definition.FirstAdmins.Count} first admin(s)" : "acl.json: has users, left as it is");
        var (hostKey, created) = await ApiHostKey.EnsureAsync(store, ct);
        log(created ? $"{ApiHostKey.StoreKey}: made and sealed" : $"{ApiHostKey.StoreKey}: exists");

        log("== every layer, in dependency order");
        var rest = await ClusterPlanner.For(Definition, clouds, keyArn, store: store, waits: waits).ApplyAsync(ctx, ct);
        var nodes = await ClusterNodes.ListAsync(clouds.Instances, Definition.Name, ct);
        return new ProvisionReport(Definition.Name, new Plan(Definition.Name, [.. state.Changes, .. rest.Changes]), seeded, hostKey, created,
            ctx.Deferred, nodes);
    }

    /// <summary>
    /// RepairCluster's swarm part, after <see cref="ProvisionAsync"/> relaunched what was missing: from the first manager,
    /// Down nodes are removed and every instance not in the swarm is bootstrapped (host keys from the console).
    /// </summary>
    public Task<Nodes.RepairReport> RepairSwarmAsync(IReadOnlyList<ClusterNode> nodes, NodeConnector connect, CancellationToken ct)
    {
        var compute = ClusterPlanner.ComputeOf(Definition);
        var userData = new Compute.ClusterNodeUserData(compute);
        var byAddress = Compute.ComputeNode.All(compute).ToDictionary(n => n.Address.ToString());
        // Instances of nodes the definition no longer wants are the resource repair's to terminate, not the swarm's to join.
        var wanted = nodes.Where(n => byAddress.ContainsKey(n.Address)).ToList();
        return new ClusterSwarmRepair(ClusterSwarmRepair.Ec2(clouds.Instances), connect, log)
            .RunAsync(wanted, n => userData.SpecFor(byAddress[n.Address]) with { AdvertiseAddress = n.PrivateIp }, ct);
    }

    /// <summary>The plan (what drifted or is missing) and the nodes; changes nothing.</summary>
    public async Task<ClusterStatusReport> StatusAsync(CancellationToken ct) =>
        new(await PlanAsync(ct), await ClusterNodes.ListAsync(clouds.Instances, Definition.Name, ct));

    /// <summary>What <see cref="DestroyAsync"/> would delete; changes nothing.</summary>
    public Task<Plan> PlanDestroyAsync(bool destroyState, CancellationToken ct) =>
        ClusterPlanner.For(Definition, clouds, null, destroyState, waits: waits).PlanDestroyAsync(Context(), ct);

    /// <summary>
    /// Deletes every resource tagged for the cluster, dependents first. Keeps the state bucket and the KMS key unless
    /// <paramref name="destroyState"/>, and the database's final snapshot always. <paramref name="confirm"/> must be
    /// the cluster's name: checked before anything is read or changed.
    /// </summary>
    public async Task<Plan> DestroyAsync(string? confirm, bool destroyState, CancellationToken ct)
    {
        CheckConfirmation(Definition, confirm);
        return await ClusterPlanner.For(Definition, clouds, null, destroyState, waits: waits).DestroyAsync(Context(), ct);
    }

    /// <summary>FSW6056 unless <paramref name="confirm"/> is the cluster's name; needs no cloud, so it runs before any call.</summary>
    public static void CheckConfirmation(ClusterDefinition definition, string? confirm)
    {
        if (confirm == definition.Name) return;
        throw new FswException(ErrorCodes.DestroyNotConfirmed,
            (confirm is null ? "DestroyCluster needs --confirm with the cluster's name" : $"--confirm \"{confirm}\" is not the cluster's name")
            + $": pass --confirm {definition.Name} to destroy cluster \"{definition.Name}\" in {definition.Region}. Nothing was changed.");
    }

    private ProvisionContext Context() => new(Definition.Name, waits, log: log);
}
