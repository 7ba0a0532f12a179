using Amazon.Runtime;
using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Provisioning;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Protocol;

namespace Futuswarm.Build;

/// <summary>
/// The AWS cluster's targets (docs/provisioning.md): PlanCluster, ProvisionCluster, RepairCluster, ClusterStatus and
/// DestroyCluster, each on one cluster definition file, the account's default credential chain and the cluster
/// operations of Futuswarm.Cluster.
/// </summary>
partial class Build
{
    [Parameter("The AWS cluster targets: the cluster definition file (docs/cluster-definition.md).")]
    readonly string Definition = "cluster.json";

    [Parameter("PlanCluster: plan against an empty account instead of observing AWS (what a first provision would do; no credentials needed).")]
    readonly bool Offline;

    [Parameter("RepairCluster (default ~/.ssh/id_ed25519) and ProvisionCluster (optional): the private key of the nodes' key pair (the first admin's first key), for SSH to the nodes as root.")]
    readonly string? SshKey;

    string SshKeyPath => SshKey ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "id_ed25519");

    /// <summary>ProvisionCluster --ssh-key waits this long for a new manager's first boot (host keys on its console).</summary>
    const int FirstBootChecks = 60;
    static readonly TimeSpan FirstBootInterval = TimeSpan.FromSeconds(15);

    [Parameter("DestroyCluster: the cluster's name, typed again: nothing is destroyed without it.")]
    readonly string? Confirm;

    [Parameter("DestroyCluster: remove the state bucket and the KMS key too (kept by default: they hold the secrets, ACL and backups).")]
    readonly bool DestroyState;

    Target PlanCluster => _ => _
        .Describe("Prints what ProvisionCluster would change for a cluster definition (--definition), observing the account's resources by tag; --offline plans a first provision. Changes nothing.")
        .Executes(async ct =>
        {
            var definition = LoadDefinition();
            var clouds = Offline
                ? ClusterCloudsFactory.Offline(definition.Region, ClusterPlanner.NetworkOf(definition).Zones)
                : await CloudsAsync(definition, ct);
            var text = await Aws(() => ClusterPlanner.PlanTextAsync(definition, clouds, ct));
            foreach (var line in text.Split('\n')) Log.Info(line);
        });

    Target ProvisionCluster => _ => _
        .Describe("Creates the AWS cluster of a definition (--definition), or brings it back in line: every resource observed by tag, only what is missing or drifted is changed; a second run changes nothing. The manager bundle goes into the state bucket so new managers set up their services at first boot; with --ssh-key it then waits for that first boot and brings their services up to date as RepairCluster does.")
        .Executes(async ct =>
        {
            var definition = LoadDefinition();
            // Checked first, so a wrong key or a definition without the edge image changes nothing.
            if (SshKey is not null) await Aws(() => { ClusterSwarmRepair.CheckKey(SshKey); ClusterManagerServices.CheckEdgeImage(definition); return Task.FromResult(0); });
            var ops = new ClusterOperations(definition, await CloudsAsync(definition, ct), Log.Info);
            var report = await Aws(() => ops.ProvisionAsync(ManagerBundleFor, ct));
            Report(report);
            await WriteProfileAsync(ops.Definition, report);
            if (SshKey is null)
            {
                if (definition.EdgeImage is null)
                    Log.Info("managers: the definition has no edgeImage, which the manager daemon needs (docs/cluster-definition.md); set it before the next step");
                Log.Info((definition.EdgeImage is null
                        ? "managers: their services (daemon, edge, API sshd) are installed over SSH; "
                        : "managers launched by this run set up their services (daemon, edge, API sshd) at first boot, without the database's endpoint until it exists; ") +
                    $"once the nodes have booted (a few minutes), bring them up to date with: " +
                    $"./build.sh RepairCluster --definition {Definition} --ssh-key <the private key of {definition.FirstAdmins[0].Name}'s first key>");
                return;
            }
            var nodes = await Aws(() => ops.WaitForManagerHostKeysAsync(FirstBootChecks, FirstBootInterval, ct));
            await RepairOverSshAsync(ops, report, nodes, SshKey, ct);
        });

    Target RepairCluster => _ => _
        .Describe("Restores a damaged cluster (--definition): drifted or deleted resources put back and terminated nodes launched again (as ProvisionCluster), then over SSH (--ssh-key) Down nodes removed from the swarm, the new ones bootstrapped, and the managers' services (daemon, edge, API sshd) installed or brought up to date.")
        .Executes(async ct =>
        {
            // The key and the edge image are needed only after the resource repair: checked first, so a wrong one changes nothing.
            var definition = LoadDefinition();
            await Aws(() => { ClusterSwarmRepair.CheckKey(SshKeyPath); ClusterManagerServices.CheckEdgeImage(definition); return Task.FromResult(0); });
            var ops = new ClusterOperations(definition, await CloudsAsync(definition, ct), Log.Info);
            var report = await Aws(() => ops.ProvisionAsync(ManagerBundleFor, ct));
            Report(report);
            await RepairOverSshAsync(ops, report, report.Nodes, SshKeyPath, ct);
            await WriteProfileAsync(ops.Definition, report);
        });

    readonly Dictionary<string, Futuswarm.Cluster.Nodes.Manager.ManagerBundle> _bundles = new(StringComparer.Ordinal);

    /// <summary>The self-contained manager bundle for an architecture, published once per run: put in the state bucket
    /// for new managers' first boot by the provision, installed over SSH by the repair.</summary>
    Futuswarm.Cluster.Nodes.Manager.ManagerBundle ManagerBundleFor(string rid) =>
        _bundles.TryGetValue(rid, out var b) ? b : _bundles[rid] = Futuswarm.Build.Manager.ManagerBundles.SelfContained(rid, Log);

    /// <summary>The swarm part (Down nodes out, new instances bootstrapped), then the managers' own services, each
    /// with the self-contained manager bundle for its machine's architecture (published once per architecture).</summary>
    async Task RepairOverSshAsync(ClusterOperations ops, ProvisionReport report, IReadOnlyList<ClusterNode> nodes, string sshKey, CancellationToken ct)
    {
        var connect = ClusterSwarmRepair.Ssh(sshKey);
        var swarm = await Aws(() => ops.RepairSwarmAsync(nodes, connect, ct));
        Log.Info(swarm.Changed
            ? $"swarm: removed {swarm.Removed.Count} down node(s), bootstrapped {swarm.Replaced.Count}, labelled {swarm.Labelled.Count}"
            : "swarm: every node is in it, none down");
        var managers = await Aws(() => ops.InstallManagerServicesAsync(report, nodes, connect, ManagerBundleFor, ct));
        Log.Info($"managers: {(managers.Changed ? "services installed or updated" : "services in place")} on {string.Join(", ", managers.Done)}" +
            (managers.Waiting.Count == 0 ? "" : $"; still booting, left for the next RepairCluster: {string.Join(", ", managers.Waiting)}"));
    }

    Target ClusterStatus => _ => _
        .Describe("Shows the cluster of a definition (--definition) at a glance: whether its resources match the definition and what drifted, its nodes, and with the SSH key (--ssh-key, default ~/.ssh/id_ed25519) its services and each manager's daemon and API sshd. Changes nothing.")
        .Executes(async ct =>
        {
            var ops = await OperationsAsync(ct);
            var status = await Aws(() => ops.StatusAsync(ct));
            Log.Info(status.Drift.IsEmpty ? "resources: in line with the definition" : "resources: drifted or missing (RepairCluster puts them back):");
            if (!status.Drift.IsEmpty) Print(status.Drift);
            PrintNodes(status.Nodes, ops.Definition);
            if (!File.Exists(SshKeyPath))
            {
                Log.Info($"services: not looked at (no SSH key at {SshKeyPath}; pass --ssh-key to see the swarm's services and the managers' daemons)");
                return;
            }
            await Aws(() => { ClusterSwarmRepair.CheckKey(SshKeyPath); return Task.FromResult(0); });
            PrintSwarm(await Aws(() => ops.SwarmStatusAsync(status.Nodes, ClusterSwarmRepair.Ssh(SshKeyPath), ct)));
        });

    void PrintSwarm(SwarmStatusReport swarm)
    {
        foreach (var m in swarm.Managers)
            Log.Info($"manager {m.Address}: daemon {m.Daemon}, API sshd {m.ApiSshd}{(m.Healthy ? "" : "  <- RepairCluster starts them again")}");
        foreach (var u in swarm.Unreached) Log.Info($"not reached: {u}");
        var degraded = swarm.Services.Count(s => !s.Healthy);
        Log.Info($"services: {swarm.Services.Count}{(degraded == 0 ? ", all with their replicas" : $", {degraded} short of their replicas")}");
        foreach (var s in swarm.Services)
            Log.Info($"  {s.Name,-32} {s.Mode,-10} {s.Replicas,-8} {s.Image}{(s.Healthy ? "" : "  <- short")}");
    }

    Target DestroyCluster => _ => _
        .Describe("Deletes the cluster of a definition (--definition) only with --confirm <name>; keeps the state bucket, the KMS key (unless --destroy-state) and the database's final snapshot.")
        .Executes(async ct =>
        {
            var definition = LoadDefinition();
            // Checked before any AWS call: a destroy without the name typed again reads nothing and changes nothing.
            await Aws(() => { ClusterOperations.CheckConfirmation(definition, Confirm); return Task.FromResult(0); });
            var ops = new ClusterOperations(definition, await CloudsAsync(definition, ct), Log.Info);
            Print(await Aws(() => ops.PlanDestroyAsync(DestroyState, ct)));
            Print(await Aws(() => ops.DestroyAsync(Confirm, DestroyState, ct)));
        });

    ClusterDefinition LoadDefinition()
    {
        // The build's error report prints the message only; the codes lead each problem line.
        try { return ClusterDefinitionLoader.Load(Path.GetFullPath(Definition)); }
        catch (FswException e) { throw new BuildFailure($"{e.Code}: {e.Message}"); }
    }

    async Task<ClusterOperations> OperationsAsync(CancellationToken ct)
    {
        var definition = LoadDefinition();
        return new ClusterOperations(definition, await CloudsAsync(definition, ct), Log.Info);
    }

    static Task<ClusterClouds> CloudsAsync(ClusterDefinition definition, CancellationToken ct) =>
        Aws(() => ClusterCloudsFactory.ForAccountAsync(definition.Region, ct));

    void Report(ProvisionReport report)
    {
        Print(report.Applied);
        foreach (var change in report.Deferred) Log.Info($"not yet: {change.Address}: {change.Reason}");
        PrintNodes(report.Nodes, null);
        Log.Info($"API host key (pinned by developers' profiles): {report.ApiHostKey}");
    }

    void PrintNodes(IReadOnlyList<ClusterNode> nodes, ClusterDefinition? definition)
    {
        Log.Info($"nodes: {nodes.Count}{(definition is null ? "" : $" of {definition.NodeGroups.Managers.Count + definition.NodeGroups.Workers.Count}")}");
        foreach (var n in nodes)
            Log.Info($"  {n.Address,-22} {n.InstanceId,-20} {n.State,-9} {n.InstanceType,-11} {n.Zone,-12} public {n.PublicIp ?? "-",-15} private {n.PrivateIp ?? "-"}");
    }

    /// <summary>The developers' profile of this cluster (DESIGN.md section 5), once the first manager has an address.</summary>
    async Task WriteProfileAsync(ClusterDefinition definition, ProvisionReport report)
    {
        if (ClusterNodes.ApiAddress(report.Nodes, definition.ApiPort) is not { } manager)
        {
            Log.Info("profile: not written yet (the first manager has no public address yet); run again once it runs");
            return;
        }
        var profile = new DeveloperProfile(definition.Name, manager, Futuswarm.Build.LocalCluster.ManagerLayout.ApiUser, report.ApiHostKey, null,
            definition.Registry.Server, null, definition.BaseDomain);
        var directory = Futuswarm.Protocol.ProfileLocation.DefaultDirectory();
        var written = await profile.WriteAsync(directory);
        Log.Info(written.Count == 0 ? $"profile {definition.Name}: unchanged in {directory}" : $"profile {definition.Name}: wrote {string.Join(", ", written)} (-p:SwarmCluster={definition.Name})");
    }

    void Print(Plan plan)
    {
        foreach (var line in plan.ToText().TrimEnd().Split('\n')) Log.Info(line);
    }

    /// <summary>Coded errors as the build reports them; AWS's client errors named with what to do.</summary>
    static async Task<T> Aws<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (FswException e) { throw new BuildFailure($"{e.Code}: {e.Message}"); }
        catch (AmazonClientException e)
        {
            throw new BuildFailure($"AWS could not be asked ({e.Message}). Give credentials (AWS_PROFILE, environment or an instance role), or plan a first provision with PlanCluster --offline.");
        }
    }
}
