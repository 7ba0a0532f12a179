namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// Exactly the EC2 calls the network resources use, one method per API action. AwsEc2Network maps them onto
/// AmazonEC2Client; FakeEc2Cloud keeps an in-memory cloud behind them. Failures are CloudException with
/// EC2's error code. Every Create takes its tags, so nothing is ever created untagged (and lost to observation).
/// </summary>
public interface IEc2Network
{
    Task<IReadOnlyList<VpcInfo>> DescribeVpcsAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct);
    Task<bool> DescribeVpcAttributeAsync(string vpcId, VpcAttribute attribute, CancellationToken ct);
    Task<VpcInfo> CreateVpcAsync(string cidrBlock, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task ModifyVpcAttributeAsync(string vpcId, VpcAttribute attribute, bool value, CancellationToken ct);
    Task DeleteVpcAsync(string vpcId, CancellationToken ct);

    Task CreateTagsAsync(string resourceId, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

    Task<IReadOnlyList<SubnetInfo>> DescribeSubnetsAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct);
    Task<SubnetInfo> CreateSubnetAsync(string vpcId, string cidrBlock, string availabilityZone, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task ModifySubnetMapPublicIpOnLaunchAsync(string subnetId, bool value, CancellationToken ct);
    Task DeleteSubnetAsync(string subnetId, CancellationToken ct);

    /// <summary>One subnet's reservations: EC2 lists them per subnet only (the subnet is a required parameter).</summary>
    Task<IReadOnlyList<CidrReservationInfo>> GetSubnetCidrReservationsAsync(string subnetId, IReadOnlyList<Ec2Filter> filters, CancellationToken ct);
    Task<CidrReservationInfo> CreateSubnetCidrReservationAsync(
        string subnetId, string cidr, string reservationType, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task DeleteSubnetCidrReservationAsync(string reservationId, CancellationToken ct);

    Task<IReadOnlyList<InternetGatewayInfo>> DescribeInternetGatewaysAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct);
    Task<InternetGatewayInfo> CreateInternetGatewayAsync(IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task AttachInternetGatewayAsync(string internetGatewayId, string vpcId, CancellationToken ct);
    Task DetachInternetGatewayAsync(string internetGatewayId, string vpcId, CancellationToken ct);
    Task DeleteInternetGatewayAsync(string internetGatewayId, CancellationToken ct);

    Task<IReadOnlyList<RouteTableInfo>> DescribeRouteTablesAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct);
    Task<RouteTableInfo> CreateRouteTableAsync(string vpcId, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task CreateRouteAsync(string routeTableId, string destinationCidrBlock, string gatewayId, CancellationToken ct);
    Task ReplaceRouteAsync(string routeTableId, string destinationCidrBlock, string gatewayId, CancellationToken ct);
    Task<string> AssociateRouteTableAsync(string routeTableId, string subnetId, CancellationToken ct);
    Task DisassociateRouteTableAsync(string associationId, CancellationToken ct);
    Task DeleteRouteTableAsync(string routeTableId, CancellationToken ct);

    Task<IReadOnlyList<SecurityGroupInfo>> DescribeSecurityGroupsAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct);
    Task<string> CreateSecurityGroupAsync(string vpcId, string groupName, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task AuthorizeSecurityGroupIngressAsync(string groupId, IReadOnlyList<IngressRule> rules, CancellationToken ct);
    Task RevokeSecurityGroupIngressAsync(string groupId, IReadOnlyList<IngressRule> rules, CancellationToken ct);
    Task DeleteSecurityGroupAsync(string groupId, CancellationToken ct);
}
