using Futuswarm.Cluster.Provisioning.Definition;

namespace Futuswarm.Tests;

/// <summary>The AWS names derived from a cluster's name: their exact form, and their limits at the longest allowed name.</summary>
public class ClusterDefinitionNamesTests
{
    const string Account = "123456789012";

    [Fact]
    public void NamesForACluster()
    {
        var n = new ClusterNames("prod");

        Assert.Equal("futuswarm:cluster", ClusterNames.TagKey);
        Assert.Equal("futuswarm-prod-state-123456789012", n.StateBucket(Account));
        Assert.Equal("alias/futuswarm-prod", n.KmsAlias);
        Assert.Equal("futuswarm-prod-manager", n.ManagerRole);
        Assert.Equal("futuswarm-prod-worker", n.WorkerRole);
        Assert.Equal(n.ManagerRole, n.ManagerInstanceProfile);
        Assert.Equal(n.WorkerRole, n.WorkerInstanceProfile);
        Assert.Equal(
            ["futuswarm-prod-nodes", "futuswarm-prod-ssh", "futuswarm-prod-api", "futuswarm-prod-alb", "futuswarm-prod-db"],
            [n.NodesSecurityGroup, n.AdminSshSecurityGroup, n.ApiSecurityGroup, n.LoadBalancerSecurityGroup, n.DatabaseSecurityGroup]);
        Assert.Equal("futuswarm-prod", n.LoadBalancer);
        Assert.Equal("fsw-prod-edge", n.TargetGroup);
        Assert.Equal("futuswarm-prod", n.KeyPair);
        Assert.Equal("futuswarm-prod", n.DatabaseInstance);
        Assert.Equal("futuswarm-prod", n.DatabaseSubnetGroup);
        Assert.Equal("/futuswarm/prod/swarm/join-token/worker", n.JoinTokenParameter(manager: false));
        Assert.Equal("/futuswarm/prod/swarm/join-token/manager", n.JoinTokenParameter(manager: true));
    }

    [Fact]
    public void EveryNameFitsAwsLimitsAtTheLongestAllowedClusterName()
    {
        var longest = "z" + new string('9', DefinitionLimits.MaxNameLength - 1);
        Assert.Null(DefinitionRules.CheckName(longest));
        var n = new ClusterNames(longest);

        Assert.Equal(49, n.StateBucket(Account).Length);
        AssertBucketName(n.StateBucket(Account));
        Assert.InRange(n.ManagerRole.Length, 1, 64);
        Assert.InRange(n.WorkerRole.Length, 1, 64);
        Assert.InRange(n.LoadBalancer.Length, 1, 32);
        Assert.InRange(n.TargetGroup.Length, 1, 32);
        Assert.InRange(n.DatabaseInstance.Length, 1, 63);
        foreach (var elbv2 in new[] { n.LoadBalancer, n.TargetGroup })
        {
            // ELBv2: letters, digits and hyphens, no hyphen at either end, not "internal-".
            Assert.Matches("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$", elbv2);
            Assert.False(elbv2.StartsWith("internal-", StringComparison.Ordinal));
        }
        // RDS identifiers: a letter first, no "--", no trailing hyphen.
        Assert.Matches("^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$", n.DatabaseInstance);
        Assert.All(new[] { n.NodesSecurityGroup, n.AdminSshSecurityGroup, n.ApiSecurityGroup, n.LoadBalancerSecurityGroup, n.DatabaseSecurityGroup },
            sg => Assert.False(sg.StartsWith("sg-", StringComparison.Ordinal)));
    }

    [Fact]
    public void ANameOneLongerIsRefusedByTheDefinition()
    {
        var tooLong = "z" + new string('9', DefinitionLimits.MaxNameLength);
        var e = DefinitionText.Fails(DefinitionText.With("name", $"\"{tooLong}\""));
        Assert.Equal("name", Assert.Single(e.Problems).Path);
        Assert.Throws<ArgumentException>(() => new ClusterNames(tooLong));
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("12345678901a")]
    [InlineData("")]
    public void TheBucketNeedsATwelveDigitAccount(string account) =>
        Assert.Throws<ArgumentException>(() => new ClusterNames("prod").StateBucket(account));

    static void AssertBucketName(string bucket)
    {
        // S3: 3-63 of lower-case letters, digits, '.', '-'; letter or digit at both ends; no "xn--" prefix.
        Assert.Matches("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket);
        Assert.False(bucket.StartsWith("xn--", StringComparison.Ordinal));
    }
}
