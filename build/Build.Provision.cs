using Amazon.Runtime;
using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Provisioning;
using Futuswarm.Cluster.Provisioning.Definition;

namespace Futuswarm.Build;

/// <summary>The AWS cluster's targets. PlanCluster so far: the state and network layers, planned against the account or offline.</summary>
partial class Build
{
    [Parameter("PlanCluster: the cluster definition file (docs/cluster-definition.md).")]
    readonly string Definition = "cluster.json";

    [Parameter("PlanCluster: plan against an empty account instead of observing AWS (what a first provision would do; no credentials needed).")]
    readonly bool Offline;

    Target PlanCluster => _ => _
        .Describe("Prints what ProvisionCluster would change for a cluster definition (--definition), observing the account's resources by tag; --offline plans a first provision. Changes nothing.")
        .Executes(async ct =>
        {
            ClusterDefinition definition;
            // The build's error report prints the message only; the codes lead each problem line.
            try { definition = ClusterDefinitionLoader.Load(Path.GetFullPath(Definition)); }
            catch (Futuswarm.Protocol.FswException e) { throw new BuildFailure($"{e.Code}: {e.Message}"); }
            string text;
            try
            {
                var clouds = Offline
                    ? ClusterCloudsFactory.Offline(definition.Region, ClusterPlanner.NetworkOf(definition).Zones)
                    : await ClusterCloudsFactory.ForAccountAsync(definition.Region, ct);
                text = await ClusterPlanner.PlanTextAsync(definition, clouds, ct);
            }
            catch (AmazonClientException e) when (!Offline)
            {
                throw new BuildFailure($"AWS could not be asked ({e.Message}). Give credentials (AWS_PROFILE, environment or an instance role), or plan a first provision with --offline.");
            }
            foreach (var line in text.Split('\n')) Log.Info(line);
        });
}
