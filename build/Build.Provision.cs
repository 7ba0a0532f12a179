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
        .Describe("Creates the AWS cluster of a definition (--definition), or brings it back in line: every resource observed by tag, only what is missing or drifted is changed; a second run changes nothing.")
        .Executes(async ct =>
        {
            var report = await Aws(async () => await (await OperationsAsync(ct)).ProvisionAsync(ct));
            Print(report.Applied);
            Log.Info($"API host key (pinned by developers' profiles): {report.ApiHostKey}");
        });

    Target RepairCluster => _ => _
        .Describe("Restores a damaged cluster (--definition): drifted or deleted resources put back, terminated nodes launched again; the same observe-and-repair run as ProvisionCluster.")
        .Executes(async ct =>
        {
            var report = await Aws(async () => await (await OperationsAsync(ct)).ProvisionAsync(ct));
            Print(report.Applied);
        });

    Target ClusterStatus => _ => _
        .Describe("Shows the cluster of a definition (--definition) at a glance: whether its resources match the definition, and what drifted. Changes nothing.")
        .Executes(async ct =>
        {
            var plan = await Aws(async () => await (await OperationsAsync(ct)).PlanAsync(ct));
            Log.Info(plan.IsEmpty ? "resources: in line with the definition" : "resources: drifted or missing (RepairCluster puts them back):");
            if (!plan.IsEmpty) Print(plan);
        });

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
