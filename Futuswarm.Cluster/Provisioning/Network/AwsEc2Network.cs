using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// <see cref="IEc2Network"/> on AWSSDK.EC2: a thin mapping, one SDK call per method, Describe calls paged to the
/// end, and EC2's error code carried in a <see cref="CloudException"/>. The SDK itself retries throttling.
/// </summary>
public sealed partial class AwsEc2Network(IAmazonEC2 client) : IEc2Network
{
    public async Task<IReadOnlyList<VpcInfo>> DescribeVpcsAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        var found = new List<VpcInfo>();
        var request = new DescribeVpcsRequest { Filters = Filters(filters) };
        do
        {
            var response = await Call("DescribeVpcs", () => client.DescribeVpcsAsync(request, ct));
            found.AddRange((response.Vpcs ?? []).Select(v => new VpcInfo(v.VpcId, v.CidrBlock, v.State?.Value ?? "", Tags(v.Tags))));
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return found;
    }

    public async Task<bool> DescribeVpcAttributeAsync(string vpcId, VpcAttribute attribute, CancellationToken ct)
    {
        var request = new DescribeVpcAttributeRequest
        {
            VpcId = vpcId,
            Attribute = attribute == VpcAttribute.EnableDnsSupport ? VpcAttributeName.EnableDnsSupport : VpcAttributeName.EnableDnsHostnames,
        };
        var response = await Call("DescribeVpcAttribute", () => client.DescribeVpcAttributeAsync(request, ct));
        return (attribute == VpcAttribute.EnableDnsSupport ? response.EnableDnsSupport : response.EnableDnsHostnames) ?? false;
    }

    public async Task<VpcInfo> CreateVpcAsync(string cidrBlock, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var request = new CreateVpcRequest { CidrBlock = cidrBlock, TagSpecifications = TagSpecs(ResourceType.Vpc, tags) };
        var vpc = (await Call("CreateVpc", () => client.CreateVpcAsync(request, ct))).Vpc;
        return new VpcInfo(vpc.VpcId, vpc.CidrBlock, vpc.State?.Value ?? "", Tags(vpc.Tags));
    }

    public Task ModifyVpcAttributeAsync(string vpcId, VpcAttribute attribute, bool value, CancellationToken ct)
    {
        // EC2 takes one attribute per call.
        var request = new ModifyVpcAttributeRequest { VpcId = vpcId };
        if (attribute == VpcAttribute.EnableDnsSupport) request.EnableDnsSupport = value;
        else request.EnableDnsHostnames = value;
        return Call("ModifyVpcAttribute", () => client.ModifyVpcAttributeAsync(request, ct));
    }

    public Task DeleteVpcAsync(string vpcId, CancellationToken ct) =>
        Call("DeleteVpc", () => client.DeleteVpcAsync(new DeleteVpcRequest { VpcId = vpcId }, ct));

    public Task CreateTagsAsync(string resourceId, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        Call("CreateTags", () => client.CreateTagsAsync(new CreateTagsRequest { Resources = [resourceId], Tags = TagList(tags) }, ct));

    public async Task<IReadOnlyList<SubnetInfo>> DescribeSubnetsAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        var found = new List<SubnetInfo>();
        var request = new DescribeSubnetsRequest { Filters = Filters(filters) };
        do
        {
            var response = await Call("DescribeSubnets", () => client.DescribeSubnetsAsync(request, ct));
            found.AddRange((response.Subnets ?? []).Select(Map));
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return found;
    }

    public async Task<SubnetInfo> CreateSubnetAsync(string vpcId, string cidrBlock, string availabilityZone, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var request = new CreateSubnetRequest
        {
            VpcId = vpcId, CidrBlock = cidrBlock, AvailabilityZone = availabilityZone, TagSpecifications = TagSpecs(ResourceType.Subnet, tags),
        };
        return Map((await Call("CreateSubnet", () => client.CreateSubnetAsync(request, ct))).Subnet);
    }

    public Task ModifySubnetMapPublicIpOnLaunchAsync(string subnetId, bool value, CancellationToken ct) =>
        Call("ModifySubnetAttribute", () => client.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnetId, MapPublicIpOnLaunch = value }, ct));

    public Task DeleteSubnetAsync(string subnetId, CancellationToken ct) =>
        Call("DeleteSubnet", () => client.DeleteSubnetAsync(new DeleteSubnetRequest { SubnetId = subnetId }, ct));

    private static SubnetInfo Map(Subnet s) =>
        new(s.SubnetId, s.VpcId, s.CidrBlock, s.AvailabilityZone, s.MapPublicIpOnLaunch ?? false, s.State?.Value ?? "", Tags(s.Tags));
}
