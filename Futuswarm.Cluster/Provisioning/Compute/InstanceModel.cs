namespace Futuswarm.Cluster.Provisioning.Compute;

// The EC2 instance shapes as the compute layer sees them: only the fields it reads or sends, mapped from the SDK's
// shapes by AwsEc2Instances and kept directly by the fake cloud.

/// <summary>The instance metadata service options (IMDS). EC2's words: tokens <c>required|optional</c>, endpoint <c>enabled|disabled</c>.</summary>
public sealed record MetadataOptions(string HttpTokens, int HopLimit, string HttpEndpoint)
{
    /// <summary>
    /// IMDSv2 only, and a hop limit of 1: a container's request crosses one more hop (the docker bridge) and never
    /// gets a token, so a tenant container cannot borrow the node's role credentials.
    /// </summary>
    public static MetadataOptions Required { get; } = new("required", 1, "enabled");

    public override string ToString() => $"tokens={HttpTokens} hop_limit={HopLimit} endpoint={HttpEndpoint}";
}

/// <summary>An instance as DescribeInstances reports it. <see cref="State"/> is EC2's state name (pending, running, stopping, stopped, shutting-down, terminated).</summary>
public sealed record InstanceInfo(
    string InstanceId, string State, string InstanceType, string ImageId, string? SubnetId, string? AvailabilityZone,
    IReadOnlyList<string> SecurityGroupIds, string? InstanceProfileArn, string? KeyName, MetadataOptions Metadata,
    string? RootDeviceName, string? RootVolumeId, string? PublicIp, string? PrivateIp, string? StateReason,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The profile's name: the last segment of its ARN (<c>arn:aws:iam::123:instance-profile/name</c>).</summary>
    public string? InstanceProfileName => InstanceProfileArn is { } arn ? arn[(arn.LastIndexOf('/') + 1)..] : null;

    public override string ToString() => $"{InstanceId} {State}{(StateReason is null ? "" : $" ({StateReason})")}";
}

/// <summary>An EBS volume as DescribeVolumes reports it.</summary>
public sealed record VolumeInfo(string VolumeId, int SizeGb, string VolumeType, bool Encrypted);

/// <summary>An AMI: its architecture (<c>x86_64</c>, <c>arm64</c>) and the device name of its root volume.</summary>
public sealed record ImageInfo(string ImageId, string Architecture, string RootDeviceName, string? Name);

/// <summary>The root volume of a launch: on the AMI's root device name, or EC2 would add a second volume instead.</summary>
public sealed record RootVolume(string DeviceName, int SizeGb, string VolumeType, bool Encrypted, bool DeleteOnTermination);

/// <summary>
/// Everything one RunInstances call sends (always one instance). <see cref="UserData"/> is the plain cloud-init text:
/// the client encodes it. <see cref="ClientToken"/> makes the call idempotent: the same token answers the same instance.
/// <see cref="PrivateIpAddress"/> is the primary interface's address when it must be a known one (manager-1); null lets
/// EC2 pick.
/// </summary>
public sealed record InstanceLaunch(
    string ImageId, string InstanceType, string SubnetId, IReadOnlyList<string> SecurityGroupIds, string InstanceProfileName,
    string KeyName, string UserData, MetadataOptions Metadata, RootVolume Root, bool AssociatePublicIpAddress,
    IReadOnlyDictionary<string, string> Tags, string ClientToken, string? PrivateIpAddress = null)
{
    // The user data is the node's bootstrap script: kept out of logs and exception texts.
    public override string ToString() => $"{InstanceType} {ImageId} in {SubnetId} token {ClientToken}";
}
