using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Cluster.Provisioning.State;

namespace Futuswarm.Cluster.Provisioning;

/// <summary>The cloud APIs provisioning works through: the real clients for an account, or the in-memory fakes.</summary>
/// <param name="AccountId">The AWS account (12 digits): part of the state bucket's name.</param>
/// <param name="Stores">Opens the cluster's store once the state layer exists.</param>
public sealed record ClusterClouds(string AccountId, IEc2Network Ec2, IKmsResources Kms, IS3Resources S3, Aws.IIamApi Iam,
    Access.IEc2KeyPairs KeyPairs, Aws.IAcmApi Acm, Access.IAcmTags AcmTags, Operations.IClusterStoreOpener Stores,
    Aws.IElbV2Api ElbV2, Aws.IRdsApi Rds, Compute.IEc2Instances Instances, Compute.ISsmParameters Ssm);

public static class ClusterCloudsFactory
{
    /// <summary>The example account of AWS's documentation: an offline plan names the bucket with it.</summary>
    public const string OfflineAccountId = "123456789012";

    /// <summary>Empty in-memory clouds in the definition's region: what a first provision would do.</summary>
    public static ClusterClouds Offline(string region, IEnumerable<string> zones) => new Fake.FakeClusterClouds(region, zones).Clouds;

    /// <summary>The real clients, on the default credential chain; the account from STS GetCallerIdentity.</summary>
    public static async Task<ClusterClouds> ForAccountAsync(string region, CancellationToken ct)
    {
        var endpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        using var sts = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(endpoint);
        var account = (await sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest(), ct)).Account;
        var ec2 = new Amazon.EC2.AmazonEC2Client(endpoint);
        var aws = Aws.AwsClients.ForRegion(region);
        var transport = new Aws.AwsHttpTransport(new HttpClient { Timeout = TimeSpan.FromSeconds(60) }, new Aws.AwsCredentialSource());
        return new ClusterClouds(account,
            new AwsEc2Network(ec2),
            new AwsKmsResources(new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(endpoint)),
            new AwsS3Resources(new Amazon.S3.AmazonS3Client(endpoint)),
            aws.Iam, new Access.AwsEc2KeyPairs(ec2), aws.Acm, new Access.AcmTagsClient(transport, region),
            new Operations.AwsClusterStoreOpener(endpoint), aws.ElbV2, aws.Rds, new Compute.AwsEc2Instances(ec2),
            new Compute.AwsSsmParameters(new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(endpoint)));
    }
}
