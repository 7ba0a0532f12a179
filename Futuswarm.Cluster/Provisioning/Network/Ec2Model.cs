namespace Futuswarm.Cluster.Provisioning.Network;

// The network resources as the provisioning code sees them: only the fields it reads, mapped from EC2's
// shapes by AwsEc2Network and kept directly by the fake cloud.

/// <summary>An EC2 Describe filter: <c>tag:futuswarm:cluster</c>, <c>vpc-id</c>, ...</summary>
public sealed record Ec2Filter(string Name, IReadOnlyList<string> Values)
{
    public static Ec2Filter Tag(string key, string value) => new("tag:" + key, [value]);
    public static Ec2Filter Of(string name, string value) => new(name, [value]);
}

public enum VpcAttribute
{
    EnableDnsSupport,
    EnableDnsHostnames,
}

public sealed record VpcInfo(string VpcId, string CidrBlock, string State, IReadOnlyDictionary<string, string> Tags);

public sealed record SubnetInfo(
    string SubnetId, string VpcId, string CidrBlock, string AvailabilityZone, bool MapPublicIpOnLaunch, string State,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// A subnet CIDR reservation. Type <c>explicit</c>: EC2 never picks an address in it by itself, but an interface may
/// be given one by name; <c>prefix</c>: kept for prefix delegation. It cannot be modified, only deleted and made anew.
/// </summary>
public sealed record CidrReservationInfo(string ReservationId, string SubnetId, string Cidr, string ReservationType, IReadOnlyDictionary<string, string> Tags);

/// <summary>For an internet gateway EC2 reports an attached VPC as state <c>available</c>.</summary>
public sealed record GatewayAttachment(string VpcId, string State);

public sealed record InternetGatewayInfo(string InternetGatewayId, IReadOnlyList<GatewayAttachment> Attachments, IReadOnlyDictionary<string, string> Tags);

/// <summary>A route; <see cref="GatewayId"/> is <c>local</c> for the VPC's own range. State is active or blackhole.</summary>
public sealed record RouteInfo(string DestinationCidrBlock, string? GatewayId, string State);

public sealed record RouteTableAssociationInfo(string AssociationId, string? SubnetId, bool Main);

public sealed record RouteTableInfo(
    string RouteTableId, string VpcId, IReadOnlyList<RouteInfo> Routes, IReadOnlyList<RouteTableAssociationInfo> Associations,
    IReadOnlyDictionary<string, string> Tags);

public sealed record SecurityGroupInfo(
    string GroupId, string GroupName, string Description, string VpcId, IReadOnlyList<IngressRule> Ingress,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// One ingress rule with one source: a CIDR or another group. Protocol is <c>tcp</c>, <c>udp</c> or <c>-1</c>
/// (all, ports -1). Like EC2, identity ignores the description: the same rule with another text is a duplicate.
/// </summary>
public sealed record IngressRule(string Protocol, int FromPort, int ToPort, string? CidrIp, string? SourceGroupId, string? Description = null)
{
    public bool Equals(IngressRule? other) =>
        other is not null && Protocol == other.Protocol && FromPort == other.FromPort && ToPort == other.ToPort
        && CidrIp == other.CidrIp && SourceGroupId == other.SourceGroupId;

    public override int GetHashCode() => HashCode.Combine(Protocol, FromPort, ToPort, CidrIp, SourceGroupId);

    public string Ports => Protocol == "-1" ? "all" : FromPort == ToPort ? $"{Protocol} {FromPort}" : $"{Protocol} {FromPort}-{ToPort}";

    public override string ToString() => $"{Ports} from {CidrIp ?? SourceGroupId}";
}
