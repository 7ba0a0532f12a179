using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>
/// <see cref="IEc2Instances"/> on AWSSDK.EC2: one SDK call per method, Describe calls paged to the end, EC2's error
/// code carried in a <see cref="CloudException"/>. The SDK itself retries throttling.
/// </summary>
public sealed class AwsEc2Instances(IAmazonEC2 client) : IEc2Instances
{
    public async Task<IReadOnlyList<InstanceInfo>> DescribeInstancesAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        var found = new List<InstanceInfo>();
        var request = new DescribeInstancesRequest { Filters = filters.Select(f => new Filter(f.Name, f.Values.ToList())).ToList() };
        do
        {
            var response = await Call("DescribeInstances", () => client.DescribeInstancesAsync(request, ct));
            found.AddRange((response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(Map));
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return found;
    }

    public async Task<IReadOnlyList<VolumeInfo>> DescribeVolumesAsync(IReadOnlyList<string> volumeIds, CancellationToken ct)
    {
        // A filter, not VolumeIds: a volume deleted meanwhile is simply absent instead of failing the whole call.
        var found = new List<VolumeInfo>();
        var request = new DescribeVolumesRequest { Filters = [new Filter("volume-id", volumeIds.ToList())] };
        do
        {
            var response = await Call("DescribeVolumes", () => client.DescribeVolumesAsync(request, ct));
            found.AddRange((response.Volumes ?? []).Select(v => new VolumeInfo(v.VolumeId, v.Size ?? 0, v.VolumeType?.Value ?? "", v.Encrypted ?? false)));
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return found;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DescribeInstanceTypesAsync(IReadOnlyList<string> instanceTypes, CancellationToken ct)
    {
        // A filter, not InstanceTypes: a type the region lacks is absent rather than an InvalidInstanceType for all.
        var found = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var request = new DescribeInstanceTypesRequest { Filters = [new Filter("instance-type", instanceTypes.ToList())] };
        do
        {
            var response = await Call("DescribeInstanceTypes", () => client.DescribeInstanceTypesAsync(request, ct));
            foreach (var t in response.InstanceTypes ?? [])
                found[t.InstanceType.Value] = (t.ProcessorInfo?.SupportedArchitectures ?? []).ToList();
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return found;
    }

    public async Task<ImageInfo?> DescribeImageAsync(string imageId, CancellationToken ct)
    {
        var request = new DescribeImagesRequest { Filters = [new Filter("image-id", [imageId])] };
        var image = (await Call("DescribeImages", () => client.DescribeImagesAsync(request, ct))).Images?.FirstOrDefault(i => i.ImageId == imageId);
        return image is null ? null : new ImageInfo(image.ImageId, image.Architecture?.Value ?? "", image.RootDeviceName, image.Name);
    }

    public async Task<InstanceInfo> RunInstanceAsync(InstanceLaunch launch, CancellationToken ct)
    {
        var response = await Call("RunInstances", () => client.RunInstancesAsync(RunRequest(launch), ct));
        return Map(response.Reservation.Instances.Single());
    }

    /// <summary>The request as EC2 needs it: one instance, base64 user data, the network interface carrying subnet,
    /// groups, a fixed private address if any and the public address (EC2 refuses those at the top level together with an interface), tags on
    /// instance and volumes.</summary>
    internal static RunInstancesRequest RunRequest(InstanceLaunch launch) => new()
    {
        ImageId = launch.ImageId,
        InstanceType = InstanceType.FindValue(launch.InstanceType),
        MinCount = 1,
        MaxCount = 1,
        ClientToken = launch.ClientToken,
        KeyName = launch.KeyName,
        UserData = Convert.ToBase64String(Encoding.UTF8.GetBytes(launch.UserData)),
        IamInstanceProfile = new IamInstanceProfileSpecification { Name = launch.InstanceProfileName },
        MetadataOptions = new InstanceMetadataOptionsRequest
        {
            HttpTokens = HttpTokensState.FindValue(launch.Metadata.HttpTokens),
            HttpPutResponseHopLimit = launch.Metadata.HopLimit,
            HttpEndpoint = InstanceMetadataEndpointState.FindValue(launch.Metadata.HttpEndpoint),
        },
        NetworkInterfaces =
        [
            new InstanceNetworkInterfaceSpecification
            {
                DeviceIndex = 0,
                SubnetId = launch.SubnetId,
                Groups = launch.SecurityGroupIds.ToList(),
                AssociatePublicIpAddress = launch.AssociatePublicIpAddress,
                // Null leaves it out of the request: EC2 picks an address.
                PrivateIpAddress = launch.PrivateIpAddress,
                DeleteOnTermination = true,
            },
        ],
        BlockDeviceMappings =
        [
            new BlockDeviceMapping
            {
                DeviceName = launch.Root.DeviceName,
                Ebs = new EbsBlockDevice
                {
                    VolumeSize = launch.Root.SizeGb,
                    VolumeType = VolumeType.FindValue(launch.Root.VolumeType),
                    Encrypted = launch.Root.Encrypted,
                    DeleteOnTermination = launch.Root.DeleteOnTermination,
                },
            },
        ],
        TagSpecifications =
        [
            new TagSpecification { ResourceType = ResourceType.Instance, Tags = TagList(launch.Tags) },
            new TagSpecification { ResourceType = ResourceType.Volume, Tags = TagList(launch.Tags) },
        ],
    };

    public Task StartInstanceAsync(string instanceId, CancellationToken ct) =>
        Call("StartInstances", () => client.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [instanceId] }, ct));

    public Task TerminateInstanceAsync(string instanceId, CancellationToken ct) =>
        Call("TerminateInstances", () => client.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instanceId] }, ct));

    public Task ModifyInstanceMetadataOptionsAsync(string instanceId, MetadataOptions options, CancellationToken ct) =>
        Call("ModifyInstanceMetadataOptions", () => client.ModifyInstanceMetadataOptionsAsync(new ModifyInstanceMetadataOptionsRequest
        {
            InstanceId = instanceId,
            HttpTokens = HttpTokensState.FindValue(options.HttpTokens),
            HttpPutResponseHopLimit = options.HopLimit,
            HttpEndpoint = InstanceMetadataEndpointState.FindValue(options.HttpEndpoint),
        }, ct));

    public Task ModifyInstanceSecurityGroupsAsync(string instanceId, IReadOnlyList<string> groupIds, CancellationToken ct) =>
        Call("ModifyInstanceAttribute", () => client.ModifyInstanceAttributeAsync(
            new ModifyInstanceAttributeRequest { InstanceId = instanceId, Groups = groupIds.ToList() }, ct));

    public Task CreateTagsAsync(string resourceId, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        Call("CreateTags", () => client.CreateTagsAsync(new CreateTagsRequest { Resources = [resourceId], Tags = TagList(tags) }, ct));

    public Task DeleteTagsAsync(string resourceId, IReadOnlyList<string> keys, CancellationToken ct) =>
        Call("DeleteTags", () => client.DeleteTagsAsync(
            new DeleteTagsRequest { Resources = [resourceId], Tags = keys.Select(k => new Tag { Key = k }).ToList() }, ct));

    public async Task<string?> GetConsoleOutputAsync(string instanceId, CancellationToken ct)
    {
        var response = await Call("GetConsoleOutput", () => client.GetConsoleOutputAsync(new GetConsoleOutputRequest { InstanceId = instanceId }, ct));
        return string.IsNullOrEmpty(response.Output) ? null : Encoding.UTF8.GetString(Convert.FromBase64String(response.Output));
    }

    internal static InstanceInfo Map(Instance i)
    {
        var root = (i.BlockDeviceMappings ?? []).FirstOrDefault(b => b.DeviceName == i.RootDeviceName);
        return new InstanceInfo(
            i.InstanceId, i.State?.Name?.Value ?? "", i.InstanceType?.Value ?? "", i.ImageId ?? "", i.SubnetId, i.Placement?.AvailabilityZone,
            (i.SecurityGroups ?? []).Select(g => g.GroupId).ToList(), i.IamInstanceProfile?.Arn, i.KeyName,
            new MetadataOptions(i.MetadataOptions?.HttpTokens?.Value ?? "", i.MetadataOptions?.HttpPutResponseHopLimit ?? 0,
                i.MetadataOptions?.HttpEndpoint?.Value ?? ""),
            i.RootDeviceName, root?.Ebs?.VolumeId, i.PublicIpAddress, i.PrivateIpAddress,
            i.StateReason is { } reason ? $"{reason.Code}: {reason.Message}" : null,
            new SortedDictionary<string, string>((i.Tags ?? []).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First().Value ?? ""), StringComparer.Ordinal));
    }

    private static List<Tag> TagList(IReadOnlyDictionary<string, string> tags) => tags.Select(t => new Tag(t.Key, t.Value)).ToList();

    private static Task<T> Call<T>(string name, Func<Task<T>> call) => Aws.CloudCalls.Sdk(name, call);
}
