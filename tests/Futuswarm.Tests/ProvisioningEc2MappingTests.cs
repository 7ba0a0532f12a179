using System.Net;
using System.Text;
using System.Web;
using Amazon.EC2;
using Amazon.Runtime;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Tests;

/// <summary>
/// AwsEc2Network through the real AmazonEC2Client, with an HttpMessageHandler answering in EC2's documented XML:
/// the query parameters each call sends, the responses it reads (paged), and EC2's error codes.
/// </summary>
public class ProvisioningEc2MappingTests
{
    private const string Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private sealed class CannedHandler(Func<Dictionary<string, string>, (HttpStatusCode, string)> answer) : HttpMessageHandler
    {
        public List<Dictionary<string, string>> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = await request.Content!.ReadAsStringAsync(ct);
            var form = HttpUtility.ParseQueryString(body);
            var parameters = form.AllKeys.ToDictionary(k => k!, k => form[k]!);
            Requests.Add(parameters);
            var (status, xml) = answer(parameters);
            return new HttpResponseMessage(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }

    private static AwsEc2Network Network(CannedHandler handler) => new(new AmazonEC2Client(
        new BasicAWSCredentials("AKIDFUTUSWARMTEST", "not-a-real-secret-key"),
        new AmazonEC2Config
        {
            ServiceURL = "https://ec2.eu-north-1.amazonaws.com",
            AuthenticationRegion = "eu-north-1",
            MaxErrorRetry = 0,
            HttpClientFactory = new Factory(handler),
        }));

    [Fact]
    public async Task CreateVpcSendsTheCidrAndTagsAndReadsTheVpc()
    {
        var handler = new CannedHandler(_ => (HttpStatusCode.OK, $"""
            <CreateVpcResponse xmlns="{Ns}">
              <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
              <vpc>
                <vpcId>vpc-1a2b3c4d</vpcId>
                <state>pending</state>
                <cidrBlock>10.40.0.0/16</cidrBlock>
                <dhcpOptionsId>dopt-1a2b3c4d2</dhcpOptionsId>
                <instanceTenancy>default</instanceTenancy>
                <tagSet>
                  <item><key>futuswarm:cluster</key><value>demo</value></item>
                  <item><key>futuswarm:role</key><value>vpc</value></item>
                </tagSet>
              </vpc>
            </CreateVpcResponse>
            """));

        var vpc = await Network(handler).CreateVpcAsync("10.40.0.0/16", ClusterTags.For("demo", NetworkAddresses.Vpc), default);

        var sent = handler.Requests.Single();
        Assert.Equal("CreateVpc", sent["Action"]);
        Assert.Equal("2016-11-15", sent["Version"]);
        Assert.Equal("10.40.0.0/16", sent["CidrBlock"]);
        Assert.Equal("vpc", sent["TagSpecification.1.ResourceType"]);
        var tags = Enumerable.Range(1, 3).ToDictionary(i => sent[$"TagSpecification.1.Tag.{i}.Key"], i => sent[$"TagSpecification.1.Tag.{i}.Value"]);
        Assert.Equal(new Dictionary<string, string> { ["Name"] = "demo-vpc", ["futuswarm:cluster"] = "demo", ["futuswarm:role"] = "vpc" }, tags);
        Assert.Equal(("vpc-1a2b3c4d", "10.40.0.0/16", "pending"), (vpc.VpcId, vpc.CidrBlock, vpc.State));
        Assert.Equal("demo", vpc.Tags[ClusterTags.Cluster]);
    }

    [Fact]
    public async Task DescribeSecurityGroupsFiltersByTagPagesAndFlattensRules()
    {
        var handler = new CannedHandler(p => (HttpStatusCode.OK, p.ContainsKey("NextToken")
            ? $"""
              <DescribeSecurityGroupsResponse xmlns="{Ns}">
                <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
                <securityGroupInfo>
                  <item>
                    <ownerId>123456789012</ownerId><groupId>sg-2</groupId><groupName>demo-lb</groupName>
                    <groupDescription>lb</groupDescription><vpcId>vpc-1a2b3c4d</vpcId>
                    <ipPermissions/><ipPermissionsEgress/>
                  </item>
                </securityGroupInfo>
              </DescribeSecurityGroupsResponse>
              """
            : $"""
              <DescribeSecurityGroupsResponse xmlns="{Ns}">
                <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
                <securityGroupInfo>
                  <item>
                    <ownerId>123456789012</ownerId>
                    <groupId>sg-1</groupId>
                    <groupName>demo-nodes</groupName>
                    <groupDescription>nodes</groupDescription>
                    <vpcId>vpc-1a2b3c4d</vpcId>
                    <ipPermissions>
                      <item>
                        <ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort>
                        <groups/>
                        <ipRanges>
                          <item><cidrIp>203.0.113.0/24</cidrIp><description>SSH from admins</description></item>
                          <item><cidrIp>192.0.2.0/24</cidrIp></item>
                        </ipRanges>
                        <ipv6Ranges/><prefixListIds/>
                      </item>
                      <item>
                        <ipProtocol>udp</ipProtocol><fromPort>7946</fromPort><toPort>7946</toPort>
                        <groups><item><userId>123456789012</userId><groupId>sg-1</groupId></item></groups>
                        <ipRanges/><ipv6Ranges/><prefixListIds/>
                      </item>
                    </ipPermissions>
                    <ipPermissionsEgress/>
                    <tagSet><item><key>futuswarm:role</key><value>security-group[nodes]</value></item></tagSet>
                  </item>
                </securityGroupInfo>
                <nextToken>page-2</nextToken>
              </DescribeSecurityGroupsResponse>
              """));

        var groups = await Network(handler).DescribeSecurityGroupsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo")], default);

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal("DescribeSecurityGroups", handler.Requests[0]["Action"]);
        Assert.Equal("tag:futuswarm:cluster", handler.Requests[0]["Filter.1.Name"]);
        Assert.Equal("demo", handler.Requests[0]["Filter.1.Value.1"]);
        Assert.Equal("page-2", handler.Requests[1]["NextToken"]);
        Assert.Equal(["sg-1", "sg-2"], groups.Select(g => g.GroupId));
        Assert.Equal(["tcp 22 from 203.0.113.0/24", "tcp 22 from 192.0.2.0/24", "udp 7946 from sg-1"], groups[0].Ingress.Select(r => r.ToString()));
        Assert.Equal("SSH from admins", groups[0].Ingress[0].Description);
        Assert.Equal("security-group[nodes]", groups[0].Tags[ClusterTags.Role]);
        Assert.Empty(groups[1].Ingress);
    }

    [Fact]
    public async Task AuthorizeSendsOnePermissionPerRule()
    {
        var handler = new CannedHandler(_ => (HttpStatusCode.OK,
            $"""<AuthorizeSecurityGroupIngressResponse xmlns="{Ns}"><requestId>1</requestId><return>true</return></AuthorizeSecurityGroupIngressResponse>"""));

        await Network(handler).AuthorizeSecurityGroupIngressAsync("sg-1",
            [new IngressRule("tcp", 22, 22, "203.0.113.0/24", null, "SSH from admins"), new IngressRule("udp", 4789, 4789, null, "sg-1", "overlay")], default);

        var sent = handler.Requests.Single();
        Assert.Equal("AuthorizeSecurityGroupIngress", sent["Action"]);
        Assert.Equal("sg-1", sent["GroupId"]);
        Assert.Equal(("tcp", "22", "22", "203.0.113.0/24", "SSH from admins"),
            (sent["IpPermissions.1.IpProtocol"], sent["IpPermissions.1.FromPort"], sent["IpPermissions.1.ToPort"],
             sent["IpPermissions.1.IpRanges.1.CidrIp"], sent["IpPermissions.1.IpRanges.1.Description"]));
        Assert.Equal(("udp", "4789", "sg-1"),
            (sent["IpPermissions.2.IpProtocol"], sent["IpPermissions.2.FromPort"], sent["IpPermissions.2.Groups.1.GroupId"]));
    }

    [Fact]
    public async Task CreateSubnetCidrReservationSendsTheSubnetRangeTypeAndTags()
    {
        var handler = new CannedHandler(_ => (HttpStatusCode.OK, $"""
            <CreateSubnetCidrReservationResponse xmlns="{Ns}">
              <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
              <subnetCidrReservation>
                <subnetCidrReservationId>scr-044f977c4eEXAMPLE</subnetCidrReservationId>
                <subnetId>subnet-03c51e2ef5EXAMPLE</subnetId>
                <cidr>10.40.0.10/32</cidr>
                <reservationType>explicit</reservationType>
                <ownerId>123456789012</ownerId>
                <description>manager-1's fixed address (demo)</description>
                <tagSet>
                  <item><key>futuswarm:cluster</key><value>demo</value></item>
                  <item><key>futuswarm:role</key><value>subnet-cidr-reservation[manager-1]</value></item>
                </tagSet>
              </subnetCidrReservation>
            </CreateSubnetCidrReservationResponse>
            """));

        var reservation = await Network(handler).CreateSubnetCidrReservationAsync("subnet-03c51e2ef5EXAMPLE", "10.40.0.10/32", "explicit",
            "manager-1's fixed address (demo)", ClusterTags.For("demo", NetworkAddresses.FirstManagerReservation), default);

        var sent = handler.Requests.Single();
        Assert.Equal(("CreateSubnetCidrReservation", "subnet-03c51e2ef5EXAMPLE", "10.40.0.10/32", "explicit", "manager-1's fixed address (demo)"),
            (sent["Action"], sent["SubnetId"], sent["Cidr"], sent["ReservationType"], sent["Description"]));
        Assert.Equal("subnet-cidr-reservation", sent["TagSpecification.1.ResourceType"]);
        var tags = Enumerable.Range(1, 3).ToDictionary(i => sent[$"TagSpecification.1.Tag.{i}.Key"], i => sent[$"TagSpecification.1.Tag.{i}.Value"]);
        Assert.Equal(new Dictionary<string, string>
        {
            ["Name"] = "demo-subnet-cidr-reservation-manager-1", ["futuswarm:cluster"] = "demo", ["futuswarm:role"] = "subnet-cidr-reservation[manager-1]",
        }, tags);
        Assert.Equal(("scr-044f977c4eEXAMPLE", "subnet-03c51e2ef5EXAMPLE", "10.40.0.10/32", "explicit"),
            (reservation.ReservationId, reservation.SubnetId, reservation.Cidr, reservation.ReservationType));
        Assert.Equal("subnet-cidr-reservation[manager-1]", reservation.Tags[ClusterTags.Role]);
    }

    [Fact]
    public async Task GetSubnetCidrReservationsNamesTheSubnetPagesAndReadsBothFamilies()
    {
        var handler = new CannedHandler(p => (HttpStatusCode.OK, p.ContainsKey("NextToken")
            ? $"""
              <GetSubnetCidrReservationsResponse xmlns="{Ns}">
                <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
                <subnetIpv4CidrReservationSet>
                  <item>
                    <subnetCidrReservationId>scr-2</subnetCidrReservationId><subnetId>subnet-1</subnetId>
                    <cidr>10.40.0.64/28</cidr><reservationType>prefix</reservationType><ownerId>123456789012</ownerId>
                  </item>
                </subnetIpv4CidrReservationSet>
                <subnetIpv6CidrReservationSet/>
              </GetSubnetCidrReservationsResponse>
              """
            : $"""
              <GetSubnetCidrReservationsResponse xmlns="{Ns}">
                <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
                <subnetIpv4CidrReservationSet>
                  <item>
                    <subnetCidrReservationId>scr-1</subnetCidrReservationId><subnetId>subnet-1</subnetId>
                    <cidr>10.40.0.10/32</cidr><reservationType>explicit</reservationType><ownerId>123456789012</ownerId>
                    <tagSet><item><key>futuswarm:cluster</key><value>demo</value></item></tagSet>
                  </item>
                </subnetIpv4CidrReservationSet>
                <subnetIpv6CidrReservationSet>
                  <item>
                    <subnetCidrReservationId>scr-3</subnetCidrReservationId><subnetId>subnet-1</subnetId>
                    <cidr>2600:1f13:925:d240:3a1b::/80</cidr><reservationType>prefix</reservationType><ownerId>123456789012</ownerId>
                  </item>
                </subnetIpv6CidrReservationSet>
                <nextToken>page-2</nextToken>
              </GetSubnetCidrReservationsResponse>
              """));

        var found = await Network(handler).GetSubnetCidrReservationsAsync("subnet-1", [new Ec2Filter("reservationType", ["explicit", "prefix"])], default);

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(("GetSubnetCidrReservations", "subnet-1", "reservationType", "explicit", "prefix"),
            (handler.Requests[0]["Action"], handler.Requests[0]["SubnetId"], handler.Requests[0]["Filter.1.Name"],
             handler.Requests[0]["Filter.1.Value.1"], handler.Requests[0]["Filter.1.Value.2"]));
        Assert.Equal(("subnet-1", "page-2"), (handler.Requests[1]["SubnetId"], handler.Requests[1]["NextToken"]));
        Assert.Equal(["scr-1 10.40.0.10/32 explicit", "scr-3 2600:1f13:925:d240:3a1b::/80 prefix", "scr-2 10.40.0.64/28 prefix"],
            found.Select(r => $"{r.ReservationId} {r.Cidr} {r.ReservationType}"));
        Assert.Equal("demo", found[0].Tags[ClusterTags.Cluster]);
        Assert.Empty(found[2].Tags);
    }

    [Fact]
    public async Task DeleteSubnetCidrReservationSendsTheIdAndCarriesEc2sRefusal()
    {
        var handler = new CannedHandler(p => p["SubnetCidrReservationId"] == "scr-1"
            ? (HttpStatusCode.OK, $"""
              <DeleteSubnetCidrReservationResponse xmlns="{Ns}">
                <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
                <deletedSubnetCidrReservation>
                  <subnetCidrReservationId>scr-1</subnetCidrReservationId><subnetId>subnet-1</subnetId>
                  <cidr>10.40.0.10/32</cidr><reservationType>explicit</reservationType><ownerId>123456789012</ownerId>
                </deletedSubnetCidrReservation>
              </DeleteSubnetCidrReservationResponse>
              """)
            : (HttpStatusCode.BadRequest, """
              <?xml version="1.0" encoding="UTF-8"?>
              <Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>
              """));
        var network = Network(handler);

        await network.DeleteSubnetCidrReservationAsync("scr-1", default);
        var e = await Assert.ThrowsAsync<CloudException>(() => network.DeleteSubnetCidrReservationAsync("scr-2", default));

        Assert.Equal(("DeleteSubnetCidrReservation", "scr-1"), (handler.Requests[0]["Action"], handler.Requests[0]["SubnetCidrReservationId"]));
        Assert.Equal(("DeleteSubnetCidrReservation", "UnauthorizedOperation"), (e.Call, e.Code));
    }

    [Fact]
    public async Task Ec2ErrorsCarryTheirCode()
    {
        var handler = new CannedHandler(_ => (HttpStatusCode.BadRequest, """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response><Errors><Error><Code>DependencyViolation</Code><Message>The vpc 'vpc-1a2b3c4d' has dependencies and cannot be deleted.</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>
            """));

        var e = await Assert.ThrowsAsync<CloudException>(() => Network(handler).DeleteVpcAsync("vpc-1a2b3c4d", default));

        Assert.Equal(("DeleteVpc", "DependencyViolation"), (e.Call, e.Code));
        Assert.Contains("has dependencies", e.Detail);
        Assert.Equal("vpc-1a2b3c4d", handler.Requests.Single()["VpcId"]);
    }
}
