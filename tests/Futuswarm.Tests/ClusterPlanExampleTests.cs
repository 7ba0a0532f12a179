using Futuswarm.Cluster.Provisioning;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Fake;

namespace Futuswarm.Tests;

/// <summary>
/// docs/examples/cluster-plan.txt is what `./build.sh PlanCluster --definition docs/examples/cluster.json --offline`
/// prints: kept true here. FUTUSWARM_UPDATE_EXAMPLES=1 rewrites it after an intended change.
/// </summary>
public sealed class ClusterPlanExampleTests
{
    [Fact]
    public async Task The_checked_in_plan_is_what_PlanCluster_prints_for_the_example_definition()
    {
        var definition = ClusterDefinitionLoader.Load(Path.Combine(RepoRoot.Path, "docs", "examples", "cluster.json"));
        var fakes = new FakeClusterClouds(definition.Region, ClusterPlanner.NetworkOf(definition).Zones);

        var text = await ClusterPlanner.PlanTextAsync(definition, fakes.Clouds, CancellationToken.None);

        Assert.Empty(fakes.MutatingCalls); // a plan changes nothing
        var file = Path.Combine(RepoRoot.Path, "docs", "examples", "cluster-plan.txt");
        if (Environment.GetEnvironmentVariable("FUTUSWARM_UPDATE_EXAMPLES") == "1") File.WriteAllText(file, text);
        Assert.Equal(File.ReadAllText(file), text);
        Assert.Contains("+ security-group[nodes]", text);
        Assert.Contains("ingress: tcp 22 from 203.0.113.0/24", text);
        Assert.DoesNotContain("tcp 22 from 0.0.0.0/0", text);
        Assert.Contains("futuswarm-prod-state-123456789012", text);
        Assert.Contains("kms:EncryptionContext:cluster", text);
        Assert.Contains("certificate[apps.example.com]", text);
        // The nodes come before the load balancer: its registrations of the managers are in the plan, and manager-1's fixed address.
        Assert.Contains("+ target[manager-1]  # not registered\n    + instance: instance[manager-1] (known after apply)", text);
        Assert.Contains("+ private_ip: 10.42.0.10", text);
        // Reserved in its subnet before any instance, load balancer or database interface is placed there.
        Assert.Contains("+ subnet-cidr-reservation[manager-1]  # not found\n    + subnet: subnet[eu-west-1a]\n    + cidr: 10.42.0.10/32\n    + type: explicit", text);
        Assert.True(text.IndexOf("+ subnet-cidr-reservation[manager-1]", StringComparison.Ordinal) < text.IndexOf("+ instance[manager-1]", StringComparison.Ordinal));
    }
}
