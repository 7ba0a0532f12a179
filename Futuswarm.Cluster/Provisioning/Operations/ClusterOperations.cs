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
    IReadOnlyList<Change> Deferred, IReadOnlyList<ClusterNode> Nodes)
{
    /// <summary>The bucket, key and database endpoint the managers' daemon is configured with.</summary>
    public ManagerInputs? Inputs { get; init; }
}

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
    public Task<ProvisionReport> ProvisionAsync(CancellationToken ct) => ProvisionAsync(null, ct);

    /// <inheritdoc cref="ProvisionAsync(CancellationToken)"/>
    /// <param name="bundleFor">The self-contained manager bundle for a runtime identifier: given, it goes into the
    /// state bucket and the managers this run launches set up their own services at first boot (with the edge image).</param>
    public async Task<ProvisionReport> ProvisionAsync(Func<string, Nodes.Manager.ManagerBundle>? bundleFor, CancellationToken ct)
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

        ManagerFirstBoot? firstBoot = null;
        if (bundleFor is not null)
        {
            log("== store: the manager bundle for the managers' first boot");
            // The database's endpoint when it exists already (a repair); a new cluster's managers learn it over SSH.
            var known = await ManagerInputs.ObserveAsync(clouds.Rds, Definition, ctx.RequireId(StateAddresses.StateBucket), keyArn, ct);
            firstBoot = await ManagerBundleUpload.PrepareAsync(Definition, clouds, store, known, hostKey, bundleFor, log, ct);
        }

        log("== every layer, in dependency order");
        var rest = await ClusterPlanner.For(Definition, clouds, keyArn, store: store, waits: waits, managerFirstBoot: firstBoot).ApplyAsync(ctx, ct);
        var nodes = await ClusterNodes.ListAsync(clouds.Instances, Definition.Name, ct);
        var inputs = await ManagerInputs.ObserveAsync(clouds.Rds, Definition, ctx.RequireId(StateAddresses.StateBucket), keyArn, ct);
        return new ProvisionReport(Definition.Name, new Plan(Definition.Name, [.. state.Changes, .. rest.Changes]), seeded, hostKey, created,
            ctx.Deferred, nodes) { Inputs = inputs };
    }

    /// <summary>
    /// RepairCluster's swarm part, after <see cref="ProvisionAsync"/> relaunched what was missing: from a running swarm manager (manager-1 first),
    /// Down nodes are removed and every instance not in the swarm is bootstrapped (host keys from the console).
    /// </summary>
    public Task<Nodes.RepairReport> RepairSwarmAsync(IReadOnlyList<ClusterNode> nodes, NodeConnector connect, CancellationToken ct)
    {
        var (wanted, specOf) = NodeSpecs(nodes);
        return new ClusterSwarmRepair(ClusterSwarmRepair.Ec2(clouds.Instances), connect, log).RunAsync(wanted, specOf, ct);
    }

    /// <summary>
    /// The managers' own services (users, binaries, API host key, edge directory, database master, daemon, API sshd) on
    /// every running manager that has printed its host keys, after <see cref="RepairSwarmAsync"/>. FSW6060 without the
    /// definition's edgeImage. The host key's private half is opened from the store only for a manager that lacks it.
    /// </summary>
    /// <param name="bundleFor">The self-contained manager bundle for a runtime identifier (linux-x64, linux-arm64): the build makes it.</param>
    public Task<ManagerInstallReport> InstallManagerServicesAsync(ProvisionReport report, IReadOnlyList<ClusterNode> nodes, NodeConnector connect,
        Func<string, Nodes.Manager.ManagerBundle> bundleFor, CancellationToken ct)
    {
        ClusterManagerServices.CheckEdgeImage(Definition);
        var inputs = report.Inputs ?? throw new InvalidOperationException("the provision report carries no manager inputs");
        if (inputs.DatabaseHost is null) log("[managers] the database reports no endpoint yet: the daemon is configured without it; run RepairCluster again once it is available");
        var store = clouds.Stores.Open(Definition.Name, inputs.StateBucket, inputs.KmsKeyArn);
        var hostKey = new Nodes.Manager.ApiHostKeySource(report.ApiHostKey, c => ApiHostKey.OpenPrivateKeyAsync(store, c));
        var (wanted, specOf) = NodeSpecs(nodes);
        var first = Compute.ComputeNode.Manager(1).ToString();
        return new ClusterManagerInstall(ClusterSwarmRepair.Ec2(clouds.Instances), connect, log).RunAsync(wanted, specOf,
            (node, rid) => ClusterManagerServices.For(Definition, inputs, hostKey, bundleFor(rid), node.Address == first, specOf(node).OverlayNetwork), ct);
    }

    /// <summary>
    /// Waits (bounded, with progress) until every running manager has printed its host keys to the console, as a first
    /// boot does at its end; returns the nodes as listed then. FSW6052 when manager-1 has not by the bound; the other
    /// managers are left for RepairCluster.
    /// </summary>
    public async Task<IReadOnlyList<ClusterNode>> WaitForManagerHostKeysAsync(int attempts, TimeSpan interval, CancellationToken ct)
    {
        var console = ClusterSwarmRepair.Ec2(clouds.Instances);
        var first = Compute.ComputeNode.Manager(1).ToString();
        for (var attempt = 1; ; attempt++)
        {
            var nodes = await ClusterNodes.ListAsync(clouds.Instances, Definition.Name, ct);
            var pending = new List<ClusterNode>();
            foreach (var n in nodes.Where(n => n.IsManager))
                if (n.State != "running" || await ConsoleHostKey.ReadAsync(console, n, ct) is null) pending.Add(n);
            if (pending.Count == 0) return nodes;
            if (attempt >= attempts)
            {
                if (pending.Any(n => n.Address == first))
                    throw new FswException(ErrorCodes.ConsoleHostKeysMissing,
                        $"{first} has not printed its SSH host keys to the EC2 console after {attempts} checks {interval.TotalSeconds:0} s apart, so it cannot be verified. " +
                        $"Run RepairCluster with the same definition and --ssh-key once it has booted.");
                log($"[managers] {string.Join(", ", pending.Select(n => n.Address))} still booting: left for the next RepairCluster");
                return nodes;
            }
            log($"[managers] waiting for the first boot of {string.Join(", ", pending.Select(n => n.Address))} (host keys on the console; check {attempt} of {attempts}, every {interval.TotalSeconds:0} s)");
            await Task.Delay(interval, ct);
        }
    }

    /// <summary>The instances the definition wants, and each one's bootstrap spec with its instance's private address.</summary>
    private (IReadOnlyList<ClusterNode> Wanted, Func<ClusterNode, Nodes.NodeSpec> SpecOf) NodeSpecs(IReadOnlyList<ClusterNode> nodes)
    {
        var compute = ClusterPlanner.ComputeOf(Definition);
        var userData = new Compute.ClusterNodeUserData(compute);
        var byAddress = Compute.ComputeNode.All(compute).ToDictionary(n => n.Address.ToString());
        // Instances of nodes the definition no longer wants are the resource repair's to terminate, not the swarm's to join.
        var wanted = nodes.Where(n => byAddress.ContainsKey(n.Address)).ToList();
        // Over SSH any manager may be the one the swarm repair runs on (manager-1 may be lost): each can re-publish the tokens.
        var tokens = userData.SpecFor(Compute.ComputeNode.All(compute)[0]).PublishJoinTokens;
        return (wanted, n => userData.SpecFor(byAddress[n.Address]) with
        {
            AdvertiseAddress = n.PrivateIp,
            PublishJoinTokens = byAddress[n.Address].IsManager ? tokens : null,
        });
    }

    /// <summary>The plan (what drifted or is missing) and the nodes; changes nothing.</summary>
    public async Task<ClusterStatusReport> StatusAsync(CancellationToken ct) =>
        new(await PlanAsync(ct), await ClusterNodes.ListAsync(clouds.Instances, Definition.Name, ct));

    /// <summary>Inside the swarm, over verified SSH: the services and each manager's daemon and API sshd. Reads only.</summary>
    public Task<SwarmStatusReport> SwarmStatusAsync(IReadOnlyList<ClusterNode> nodes, NodeConnector connect, CancellationToken ct) =>
        new ClusterSwarmStatus(ClusterSwarmRepair.Ec2(clouds.Instances), connect).RunAsync(nodes, ct);

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
