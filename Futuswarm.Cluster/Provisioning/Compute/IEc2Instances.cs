using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>
/// Exactly the EC2 calls the cluster's instances use (kept apart from IEc2Network), one method per API action.
/// AwsEc2Instances maps them onto AmazonEC2Client; FakeEc2Cloud keeps them in memory next to its network. Failures
/// are CloudException with EC2's error code. RunInstances takes its tags, so no instance is ever created untagged.
/// </summary>
public interface IEc2Instances
{
    /// <summary>Every instance matching the filters (all pages), terminated ones included unless filtered out.</summary>
    Task<IReadOnlyList<InstanceInfo>> DescribeInstancesAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct);

    /// <summary>The volumes of these ids (root volumes, for their size, type and encryption).</summary>
    Task<IReadOnlyList<VolumeInfo>> DescribeVolumesAsync(IReadOnlyList<string> volumeIds, CancellationToken ct);

    /// <summary>The architectures each instance type supports (<c>x86_64</c>, <c>arm64</c>); a type EC2 does not offer here is absent.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DescribeInstanceTypesAsync(IReadOnlyList<string> instanceTypes, CancellationToken ct);

    /// <summary>The AMI, or null when it does not exist (or is not visible to the account).</summary>
    Task<ImageInfo?> DescribeImageAsync(string imageId, CancellationToken ct);

    /// <summary>Launches exactly one instance, tagged (instance and volumes) at creation.</summary>
    Task<InstanceInfo> RunInstanceAsync(InstanceLaunch launch, CancellationToken ct);

    Task StartInstanceAsync(string instanceId, CancellationToken ct);

    Task TerminateInstanceAsync(string instanceId, CancellationToken ct);

    Task ModifyInstanceMetadataOptionsAsync(string instanceId, MetadataOptions options, CancellationToken ct);

    /// <summary>Sets the security groups of the instance's primary network interface (ModifyInstanceAttribute).</summary>
    Task ModifyInstanceSecurityGroupsAsync(string instanceId, IReadOnlyList<string> groupIds, CancellationToken ct);

    Task CreateTagsAsync(string resourceId, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

    /// <summary>Removes these tag keys (a label taken out of the definition).</summary>
    Task DeleteTagsAsync(string resourceId, IReadOnlyList<string> keys, CancellationToken ct);

    /// <summary>The instance's serial console output, decoded (the bootstrap reads the host keys cloud-init prints there); null while there is none.</summary>
    Task<string?> GetConsoleOutputAsync(string instanceId, CancellationToken ct);
}
