using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Tests;

/// <summary>
/// AwsEc2Instances and AwsSsmParameters through the real SDK clients, with an HttpMessageHandler answering as EC2 (XML,
/// Query) and SSM (JSON 1.1) document: the parameters each call sends, the responses it reads, and the errors.
/// </summary>
public class ProvisioningComputeMappingTests
{
    private const string Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private sealed record Sent(string Target, string Body, Dictionary<string, string> Form);

    private sealed class CannedHandler(Func<Sent, (HttpStatusCode, string, string)> answer) : HttpMessageHandler
    {
        public List<Sent> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = await request.Content!.ReadAsStringAsync(ct);
            var form = HttpUtility.ParseQueryString(body);
            var target = request.Headers.TryGetValues("X-Amz-Target", out var t) ? t.Single() : "";
            var sent = new Sent(target, body, target == "" ? form.AllKeys.ToDictionary(k => k!, k => form[k]!) : []);
            Requests.Add(sent);
            var (status, contentType, text) = answer(sent);
            return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, contentType) };
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }

    private static readonly BasicAWSCredentials Credentials = new("AKIDFUTUSWARMTEST", "not-a-real-secret-key");

    private static AwsEc2Instances Ec2(CannedHandler handler) => new(new AmazonEC2Client(Credentials, new AmazonEC2Config
    {
        ServiceURL = "https://ec2.eu-north-1.amazonaws.com", AuthenticationRegion = "eu-north-1", MaxErrorRetry = 0, HttpClientFactory = new Factory(handler),
    }));

    private static AwsSsmParameters Ssm(CannedHandler handler) => new(new AmazonSimpleSystemsManagementClient(Credentials, new AmazonSimpleSystemsManagementConfig
    {
        ServiceURL = "https://ssm.eu-north-1.amazonaws.com", AuthenticationRegion = "eu-north-1", MaxErrorRetry = 0, HttpClientFactory = new Factory(handler),
    }));

    private static (HttpStatusCode, string, string) Xml(string xml) => (HttpStatusCode.OK, "text/xml", xml);
    private static (HttpStatusCode, string, string) Json(string json, HttpStatusCode status = HttpStatusCode.OK) => (status, "application/x-amz-json-1.1", json);

    private const string InstanceXml = """
        <item>
          <instanceId>i-0598c7d356eba48d7</instanceId>
          <imageId>ami-0de12a0000000a064</imageId>
          <instanceState><code>16</code><name>running</name></instanceState>
          <privateDnsName>ip-10-40-0-12.eu-north-1.compute.internal</privateDnsName>
          <keyName>futuswarm-demo</keyName>
          <instanceType>t3.medium</instanceType>
          <placement><availabilityZone>eu-north-1a</availabilityZone><tenancy>default</tenancy></placement>
          <subnetId>subnet-0a1b</subnetId>
          <vpcId>vpc-1a2b3c4d</vpcId>
          <privateIpAddress>10.40.0.12</privateIpAddress>
          <ipAddress>203.0.113.25</ipAddress>
          <groupSet>
            <item><groupId>sg-1</groupId><groupName>futuswarm-demo-nodes</groupName></item>
            <item><groupId>sg-3</groupId><groupName>futuswarm-demo-managers</groupName></item>
          </groupSet>
          <architecture>x86_64</architecture>
          <rootDeviceType>ebs</rootDeviceType>
          <rootDeviceName>/dev/xvda</rootDeviceName>
          <blockDeviceMapping>
            <item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-0root</volumeId><status>attached</status><deleteOnTermination>true</deleteOnTermination></ebs></item>
            <item><deviceName>/dev/xvdb</deviceName><ebs><volumeId>vol-0data</volumeId><status>attached</status></ebs></item>
          </blockDeviceMapping>
          <iamInstanceProfile><arn>arn:aws:iam::123456789012:instance-profile/futuswarm-demo-manager</arn><id>AIPAJEXAMPLE</id></iamInstanceProfile>
          <stateReason><code>Client.UserInitiatedShutdown</code><message>Client.UserInitiatedShutdown: User initiated shutdown</message></stateReason>
          <tagSet>
            <item><key>futuswarm:cluster</key><value>demo</value></item>
            <item><key>futuswarm:role</key><value>instance[manager-1]</value></item>
          </tagSet>
          <metadataOptions>
            <state>applied</state><httpTokens>optional</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint>
          </metadataOptions>
        </item>
        """;

    [Fact]
    public async Task RunInstancesSendsOneInstanceWithEverythingAtLaunch()
    {
        var handler = new CannedHandler(_ => Xml($"""
            <RunInstancesResponse xmlns="{Ns}">
              <requestId>a0b1c2d3-0000-4000-8000-example</requestId>
              <reservationId>r-1234567890abcdef0</reservationId>
              <ownerId>123456789012</ownerId>
              <groupSet/>
              <instancesSet>{InstanceXml}</instancesSet>
            </RunInstancesResponse>
            """));
        var tags = new Dictionary<string, string> { ["futuswarm:cluster"] = "demo", ["futuswarm:role"] = "instance[manager-1]" };
        var launch = new InstanceLaunch("ami-0de12a0000000a064", "t3.medium", "subnet-0a1b", ["sg-1", "sg-3"], "futuswarm-demo-manager", "futuswarm-demo",
            "#cloud-config\nruncmd: [echo hé]\n", MetadataOptions.Required, new RootVolume("/dev/xvda", 30, "gp3", true, true), true, tags, "manager-1-0f3c",
            PrivateIpAddress: "10.40.0.10");

        var instance = await Ec2(handler).RunInstanceAsync(launch, default);

        var p = handler.Requests.Single().Form;
        Assert.Equal(("RunInstances", "ami-0de12a0000000a064", "t3.medium", "1", "1"), (p["Action"], p["ImageId"], p["InstanceType"], p["MinCount"], p["MaxCount"]));
        Assert.Equal(("manager-1-0f3c", "futuswarm-demo", "futuswarm-demo-manager"), (p["ClientToken"], p["KeyName"], p["IamInstanceProfile.Name"]));
        Assert.Equal("#cloud-config\nruncmd: [echo hé]\n", Encoding.UTF8.GetString(Convert.FromBase64String(p["UserData"])));
        Assert.Equal(("required", "1", "enabled"),
            (p["MetadataOptions.HttpTokens"], p["MetadataOptions.HttpPutResponseHopLimit"], p["MetadataOptions.HttpEndpoint"]));
        Assert.Equal(("0", "subnet-0a1b", "sg-1", "sg-3", "true", "true"),
            (p["NetworkInterface.1.DeviceIndex"], p["NetworkInterface.1.SubnetId"], p["NetworkInterface.1.SecurityGroupId.1"],
             p["NetworkInterface.1.SecurityGroupId.2"], p["NetworkInterface.1.AssociatePublicIpAddress"], p["NetworkInterface.1.DeleteOnTermination"]));
        // manager-1's fixed address, on the interface too (EC2 refuses the top-level PrivateIpAddress with an interface).
        Assert.Equal("10.40.0.10", p["NetworkInterface.1.PrivateIpAddress"]);
        Assert.DoesNotContain("PrivateIpAddress", p.Keys);
        // Subnet and groups only on the interface: EC2 refuses them at the top level together with one.
        Assert.DoesNotContain(p.Keys, k => k is "SubnetId" || k.StartsWith("SecurityGroupId", StringComparison.Ordinal));
        Assert.Equal(("/dev/xvda", "30", "gp3", "true", "true"),
            (p["BlockDeviceMapping.1.DeviceName"], p["BlockDeviceMapping.1.Ebs.VolumeSize"], p["BlockDeviceMapping.1.Ebs.VolumeType"],
             p["BlockDeviceMapping.1.Ebs.Encrypted"], p["BlockDeviceMapping.1.Ebs.DeleteOnTermination"]));
        Assert.Equal(("instance", "volume"), (p["TagSpecification.1.ResourceType"], p["TagSpecification.2.ResourceType"]));
        foreach (var spec in new[] { 1, 2 })
            Assert.Equal(tags, Enumerable.Range(1, 2).ToDictionary(i => p[$"TagSpecification.{spec}.Tag.{i}.Key"], i => p[$"TagSpecification.{spec}.Tag.{i}.Value"]));
        Assert.Equal("i-0598c7d356eba48d7", instance.InstanceId);
    }

    [Fact]
    public async Task DescribeInstancesPagesAndMapsWhatTheDiffReads()
    {
        var handler = new CannedHandler(s => Xml(s.Form.ContainsKey("NextToken")
            ? $"""<DescribeInstancesResponse xmlns="{Ns}"><requestId>2</requestId><reservationSet/></DescribeInstancesResponse>"""
            : $"""
              <DescribeInstancesResponse xmlns="{Ns}">
                <requestId>1</requestId>
                <reservationSet><item><reservationId>r-1</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>{InstanceXml}</instancesSet></item></reservationSet>
                <nextToken>page-2</nextToken>
              </DescribeInstancesResponse>
              """));

        var found = await Ec2(handler).DescribeInstancesAsync(
            [Ec2Filter.Tag(ClusterTags.Cluster, "demo"), new Ec2Filter("instance-state-name", InstanceKind.LiveStates)], default);

        var first = handler.Requests[0].Form;
        Assert.Equal(("DescribeInstances", "tag:futuswarm:cluster", "demo", "instance-state-name"),
            (first["Action"], first["Filter.1.Name"], first["Filter.1.Value.1"], first["Filter.2.Name"]));
        Assert.Equal(["pending", "running", "stopping", "stopped"], Enumerable.Range(1, 4).Select(i => first[$"Filter.2.Value.{i}"]));
        Assert.Equal("page-2", handler.Requests[1].Form["NextToken"]);
        var i = Assert.Single(found);
        Assert.Equal(("i-0598c7d356eba48d7", "running", "t3.medium", "subnet-0a1b", "eu-north-1a"), (i.InstanceId, i.State, i.InstanceType, i.SubnetId, i.AvailabilityZone));
        Assert.Equal(["sg-1", "sg-3"], i.SecurityGroupIds);
        Assert.Equal("futuswarm-demo-manager", i.InstanceProfileName);
        Assert.Equal(new MetadataOptions("optional", 2, "enabled"), i.Metadata);
        Assert.Equal(("/dev/xvda", "vol-0root"), (i.RootDeviceName, i.RootVolumeId));
        Assert.Equal(("203.0.113.25", "10.40.0.12", "futuswarm-demo"), (i.PublicIp, i.PrivateIp, i.KeyName));
        Assert.StartsWith("Client.UserInitiatedShutdown: ", i.StateReason);
        Assert.Equal("instance[manager-1]", i.Tags[ClusterTags.Role]);
    }

    [Fact]
    public async Task InstanceTypesImagesVolumesAndConsoleOutputAreRead()
    {
        var console = "-----BEGIN SSH HOST KEY KEYS-----\nssh-ed25519 AAAAC3Nz root@ip-10-40-0-12\n-----END SSH HOST KEY KEYS-----\n";
        var handler = new CannedHandler(s => Xml(s.Form["Action"] switch
        {
            "DescribeInstanceTypes" => $"""
                <DescribeInstanceTypesResponse xmlns="{Ns}"><requestId>1</requestId><instanceTypeSet>
                  <item><instanceType>m7g.large</instanceType><processorInfo><supportedArchitectures><item>arm64</item></supportedArchitectures></processorInfo></item>
                  <item><instanceType>t2.micro</instanceType><processorInfo><supportedArchitectures><item>i386</item><item>x86_64</item></supportedArchitectures></processorInfo></item>
                </instanceTypeSet></DescribeInstanceTypesResponse>
                """,
            "DescribeImages" => $"""
                <DescribeImagesResponse xmlns="{Ns}"><requestId>2</requestId><imagesSet><item>
                  <imageId>ami-0de12a0000000a864</imageId><name>debian-12-arm64-20261101-1921</name><architecture>arm64</architecture>
                  <rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>
                </item></imagesSet></DescribeImagesResponse>
                """,
            "DescribeVolumes" => $"""
                <DescribeVolumesResponse xmlns="{Ns}"><requestId>3</requestId><volumeSet><item>
                  <volumeId>vol-0root</volumeId><size>30</size><availabilityZone>eu-north-1a</availabilityZone><status>in-use</status>
                  <volumeType>gp3</volumeType><encrypted>true</encrypted>
                </item></volumeSet></DescribeVolumesResponse>
                """,
            _ => $"""
                <GetConsoleOutputResponse xmlns="{Ns}"><requestId>4</requestId><instanceId>i-1</instanceId>
                  <timestamp>2026-11-25T21:00:00.000Z</timestamp><output>{Convert.ToBase64String(Encoding.UTF8.GetBytes(console))}</output>
                </GetConsoleOutputResponse>
                """,
        }));
        var ec2 = Ec2(handler);

        var types = await ec2.DescribeInstanceTypesAsync(["m7g.large", "t2.micro", "x9.huge"], default);
        var image = await ec2.DescribeImageAsync("ami-0de12a0000000a864", default);
        var volumes = await ec2.DescribeVolumesAsync(["vol-0root"], default);
        var output = await ec2.GetConsoleOutputAsync("i-1", default);

        Assert.Equal(("instance-type", "m7g.large", "x9.huge"),
            (handler.Requests[0].Form["Filter.1.Name"], handler.Requests[0].Form["Filter.1.Value.1"], handler.Requests[0].Form["Filter.1.Value.3"]));
        Assert.Equal(["arm64"], types["m7g.large"]);
        Assert.Equal("amd64", NodeImages.DebianArchitecture(types["t2.micro"]));
        Assert.False(types.ContainsKey("x9.huge"));
        Assert.Equal(new ImageInfo("ami-0de12a0000000a864", "arm64", "/dev/xvda", "debian-12-arm64-20261101-1921"), image);
        Assert.Equal(("volume-id", "vol-0root"), (handler.Requests[2].Form["Filter.1.Name"], handler.Requests[2].Form["Filter.1.Value.1"]));
        Assert.Equal(new VolumeInfo("vol-0root", 30, "gp3", true), Assert.Single(volumes));
        Assert.Equal(console, output);
    }

    [Fact]
    public async Task MetadataGroupsTagsStartAndTerminateSendTheirParameters()
    {
        var handler = new CannedHandler(s => Xml($"""<{s.Form["Action"]}Response xmlns="{Ns}"><requestId>1</requestId><return>true</return></{s.Form["Action"]}Response>"""));
        var ec2 = Ec2(handler);

        await ec2.ModifyInstanceMetadataOptionsAsync("i-1", MetadataOptions.Required, default);
        await ec2.ModifyInstanceSecurityGroupsAsync("i-1", ["sg-1", "sg-3"], default);
        await ec2.CreateTagsAsync("i-1", new Dictionary<string, string> { ["Name"] = "demo-instance-manager-1" }, default);
        await ec2.DeleteTagsAsync("i-1", ["futuswarm:label:tier"], default);
        await ec2.StartInstanceAsync("i-1", default);
        await ec2.TerminateInstanceAsync("i-2", default);

        var r = handler.Requests.Select(s => s.Form).ToList();
        Assert.Equal(("ModifyInstanceMetadataOptions", "i-1", "required", "1", "enabled"),
            (r[0]["Action"], r[0]["InstanceId"], r[0]["HttpTokens"], r[0]["HttpPutResponseHopLimit"], r[0]["HttpEndpoint"]));
        Assert.Equal(("ModifyInstanceAttribute", "sg-1", "sg-3"), (r[1]["Action"], r[1]["GroupId.1"], r[1]["GroupId.2"]));
        Assert.Equal(("CreateTags", "i-1", "Name", "demo-instance-manager-1"), (r[2]["Action"], r[2]["ResourceId.1"], r[2]["Tag.1.Key"], r[2]["Tag.1.Value"]));
        Assert.Equal(("DeleteTags", "i-1", "futuswarm:label:tier"), (r[3]["Action"], r[3]["ResourceId.1"], r[3]["Tag.1.Key"]));
        Assert.False(r[3].ContainsKey("Tag.1.Value")); // no value: any value of the key goes
        Assert.Equal(("StartInstances", "i-1"), (r[4]["Action"], r[4]["InstanceId.1"]));
        Assert.Equal(("TerminateInstances", "i-2"), (r[5]["Action"], r[5]["InstanceId.1"]));
    }

    [Fact]
    public async Task Ec2ErrorsCarryTheirCode()
    {
        var handler = new CannedHandler(_ => (HttpStatusCode.BadRequest, "text/xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response><Errors><Error><Code>InvalidParameterValue</Code><Message>Value (futuswarm-demo-worker) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name</Message></Error></Errors><RequestID>1</RequestID></Response>
            """));
        var launch = new InstanceLaunch("ami-1", "t3.large", "subnet-1", ["sg-1"], "futuswarm-demo-worker", "futuswarm-demo", "", MetadataOptions.Required,
            new RootVolume("/dev/xvda", 50, "gp3", true, true), true, new Dictionary<string, string>(), "t");

        var e = await Assert.ThrowsAsync<CloudException>(() => Ec2(handler).RunInstanceAsync(launch, default));

        // No fixed address: none is sent, EC2 picks one.
        Assert.DoesNotContain(handler.Requests.Single().Form.Keys, k => k.EndsWith("PrivateIpAddress", StringComparison.Ordinal));
        Assert.Equal(("RunInstances", "InvalidParameterValue"), (e.Call, e.Code));
        Assert.Contains("iamInstanceProfile", e.Detail);
    }

    [Fact]
    public async Task SsmReadsThePublicAmiParameterAndWritesSecureStrings()
    {
        var secret = "SWMTKN-1-" + Guid.NewGuid().ToString("N");
        var handler = new CannedHandler(s => s.Target switch
        {
            "AmazonSSM.GetParameter" when s.Body.Contains("/aws/service/") => Json("""
                {"Parameter":{"Name":"/aws/service/debian/release/12/latest/arm64","Type":"String","Value":"ami-0de12a0000000a864","Version":42,
                 "ARN":"arn:aws:ssm:eu-north-1::parameter/aws/service/debian/release/12/latest/arm64","DataType":"aws:ec2:image"}}
                """),
            "AmazonSSM.GetParameter" => Json("""{"__type":"ParameterNotFound","message":""}""", HttpStatusCode.BadRequest),
            "AmazonSSM.DeleteParameter" => Json("""{"__type":"ParameterNotFound","message":""}""", HttpStatusCode.BadRequest),
            _ => Json("""{"Version":1,"Tier":"Standard"}"""),
        });
        var ssm = Ssm(handler);

        Assert.Equal("ami-0de12a0000000a864", await ssm.GetParameterAsync("/aws/service/debian/release/12/latest/arm64", default));
        Assert.Null(await ssm.GetSecureStringAsync("/futuswarm/demo/swarm/join-token/worker", default));
        Assert.False(await ssm.DeleteParameterAsync("/futuswarm/demo/swarm/join-token/worker", default));
        await ssm.PutSecureStringAsync("/futuswarm/demo/swarm/join-token/worker", secret, "alias/futuswarm-demo",
            new Dictionary<string, string> { ["futuswarm:cluster"] = "demo" }, overwrite: false, default);
        await ssm.PutSecureStringAsync("/futuswarm/demo/swarm/join-token/worker", secret, "alias/futuswarm-demo",
            new Dictionary<string, string> { ["futuswarm:cluster"] = "demo" }, overwrite: true, default);

        var get = JsonNode.Parse(handler.Requests[0].Body)!;
        Assert.Equal(("/aws/service/debian/release/12/latest/arm64", false), (get["Name"]!.GetValue<string>(), get["WithDecryption"]!.GetValue<bool>()));
        Assert.True(JsonNode.Parse(handler.Requests[1].Body)!["WithDecryption"]!.GetValue<bool>());
        var create = JsonNode.Parse(handler.Requests[3].Body)!;
        Assert.Equal("AmazonSSM.PutParameter", handler.Requests[3].Target);
        Assert.Equal(("SecureString", "alias/futuswarm-demo", secret, false),
            (create["Type"]!.GetValue<string>(), create["KeyId"]!.GetValue<string>(), create["Value"]!.GetValue<string>(), create["Overwrite"]!.GetValue<bool>()));
        Assert.Equal("futuswarm:cluster", create["Tags"]![0]!["Key"]!.GetValue<string>());
        // SSM refuses tags together with overwrite.
        var overwrite = JsonNode.Parse(handler.Requests[4].Body)!;
        Assert.True(overwrite["Overwrite"]!.GetValue<bool>());
        Assert.Null(overwrite["Tags"]);
    }

    [Fact]
    public async Task SsmRefusalsCarryTheirCodeAndNeverTheValue()
    {
        var secret = "SWMTKN-1-" + Guid.NewGuid().ToString("N");
        var handler = new CannedHandler(_ => Json("""{"__type":"ParameterAlreadyExists","message":"The parameter already exists. To overwrite this value, set the overwrite option in the request to true."}""", HttpStatusCode.BadRequest));

        var e = await Assert.ThrowsAsync<CloudException>(() => Ssm(handler).PutSecureStringAsync("/futuswarm/demo/swarm/join-token/manager", secret,
            "alias/futuswarm-demo", new Dictionary<string, string>(), overwrite: false, default));

        Assert.Equal(("PutParameter", "ParameterAlreadyExists"), (e.Call, e.Code));
        Assert.DoesNotContain(secret, e.ToString());
    }
}
