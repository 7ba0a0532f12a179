namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// Every fake cloud of one cluster, in one region of the documentation's example account: what provisioning runs
/// against in tests and in an offline plan. <see cref="MutatingCalls"/> counts across all of them, so "a second run
/// changes nothing" is one assertion for the whole cluster.
/// </summary>
public sealed class FakeClusterClouds
{
    public FakeClusterClouds(string region, IEnumerable<string> zones, string? storeRoot = null)
    {
        Ec2 = new FakeEc2Cloud { Zones = zones.ToHashSet() };
        State = new FakeStateCloud(region, ClusterCloudsFactory.OfflineAccountId);
        Iam = new FakeIamCloud(ClusterCloudsFactory.OfflineAccountId);
        KeyPairs = new FakeKeyPairs();
        Acm = new FakeAcmCloud(region, ClusterCloudsFactory.OfflineAccountId);
        Stores = new FakeClusterStores(storeRoot);
        ElbV2 = new FakeElbV2Cloud(Acm, region, ClusterCloudsFactory.OfflineAccountId);
        Rds = new FakeRdsCloud(region, ClusterCloudsFactory.OfflineAccountId);
        Ssm = new FakeSsmParameters();
    }

    public FakeEc2Cloud Ec2 { get; }
    public FakeStateCloud State { get; }
    public FakeIamCloud Iam { get; }
    public FakeKeyPairs KeyPairs { get; }
    public FakeAcmCloud Acm { get; }
    public FakeClusterStores Stores { get; }
    public FakeElbV2Cloud ElbV2 { get; }
    public FakeRdsCloud Rds { get; }
    /// <summary>Instances live in <see cref="Ec2"/>, as in EC2.</summary>
    public FakeSsmParameters Ssm { get; }

    public ClusterClouds Clouds => new(ClusterCloudsFactory.OfflineAccountId, Ec2, State, State, Iam, KeyPairs, Acm, Acm, Stores, ElbV2, Rds, Ec2, Ssm);

    public IReadOnlyList<FakeCloud> All => [State, Iam, KeyPairs, Acm, Ec2, ElbV2, Rds, Ssm];

    /// <summary>Every mutating call of every fake since the last <see cref="ResetCalls"/>.</summary>
    public IReadOnlyList<FakeCall> MutatingCalls => All.SelectMany(f => f.Calls).ToList();

    /// <summary>Everything tagged for the cluster in every fake.</summary>
    public IReadOnlyList<string> Tagged(string cluster) => All.SelectMany(f => f.Tagged(cluster)).ToList();

    public void ResetCalls()
    {
        foreach (var fake in All) fake.ResetCalls();
    }
}
