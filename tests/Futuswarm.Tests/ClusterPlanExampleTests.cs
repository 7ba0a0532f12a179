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
        var ec2 = new FakeEc2Cloud { Zones = ClusterPlanner.NetworkOf(definition).Zones.ToHashSet() };
        var state = new FakeStateCloud(definition.Region, ClusterCloudsFactory.OfflineAccountId);

        var iam = new FakeIamCloud(ClusterCloudsFactory.OfflineAccountId);

        var keyPairs = new FakeKeyPairs();
        var acm = new FakeAcmCloud(definition.Region, ClusterCloudsFactory.OfflineAccountId);

        var text = await ClusterPlanner.PlanTextAsync(definition, ClusterCloudsFactory.Offline(ec2, state, iam, keyPairs, acm), CancellationToken.None);

        Assert.Empty(ec2.Calls); // a plan changes nothing
        Assert.Empty(state.Calls);
        Assert.Empty(iam.Calls);
        Assert.Empty(keyPairs.Calls);
        Assert.Empty(acm.Calls);
        var file = Path.Combine(RepoRoot.Path, "docs", "examples", "cluster-plan.txt");
        if (Environment.GetEnvironmentVariable("FUTUSWARM_UPDATE_EXAMPLES") == "1") File.WriteAllText(file, text);
        Assert.Equal(File.ReadAllText(file), text);
        Assert.Contains("+ security-group[nodes]", text);
        Assert.Contains("ingress: tcp 22 from 203.0.113.0/24", text);
        Assert.DoesNotContain("tcp 22 from 0.0.0.0/0", text);
        Assert.Contains("futuswarm-prod-state-123456789012", text);
        Assert.Contains("kms:EncryptionContext:cluster", text);
        Assert.Contains("certificate[apps.example.com]", text);
    }
}
