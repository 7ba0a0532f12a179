using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Cluster.Provisioning.State;

namespace Futuswarm.Cluster.Provisioning;

/// <summary>The cloud APIs provisioning works through: the real clients for an account, or the in-memory fakes.</summary>
/// <param name="AccountId">The AWS account (12 digits): part of the state bucket's name.</param>
public sealed record ClusterClouds(string AccountId, IEc2Network Ec2, IKmsResources Kms, IS3Resources S3, Aws.IIamApi Iam);

public static class ClusterCloudsFactory
{
    /// <summary>The example account of AWS's documentation: an offline plan names the bucket with it.</summary>
    public const string OfflineAccountId = "123456789012";

    /// <summary>Empty in-memory clouds in the definition's region: what a first provision would do.</summary>
    public static ClusterClouds Offline(string region, IEnumerable<string> zones) =>
        Offline(new Fake.FakeEc2Cloud { Zones = zones.ToHashSet() }, new Fake.FakeStateCloud(region, OfflineAccountId), new Fake.FakeIamCloud(OfflineAccountId));

    public static ClusterClouds Offline(Fake.FakeEc2Cloud ec2, Fake.FakeStateCloud state, Fake.FakeIamCloud iam) => new(OfflineAccountId, ec2, state, state, iam);

    /// <summary>The real clients, on the default credential chain; the account from STS GetCallerIdentity.</summary>
    public static async Task<ClusterClouds> ForAccountAsync(string region, CancellationToken ct)
    {
        var endpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        using var sts = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(endpoint);
        var account = (await sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest(), ct)).Account;
        return new ClusterClouds(account,
            new AwsEc2Network(new Amazon.EC2.AmazonEC2Client(endpoint)),
            new AwsKmsResources(new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(endpoint)),
            new AwsS3Resources(new Amazon.S3.AmazonS3Client(endpoint)),
            Aws.AwsClients.ForRegion(region).Iam);
    }
}
