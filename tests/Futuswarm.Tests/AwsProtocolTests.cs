using Amazon.Runtime;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The pieces under the clients: the form encoder, error reading, endpoints, credentials.</summary>
public class AwsProtocolTests
{
    [Fact]
    public void TheFormStartsWithActionAndVersionSkipsAbsentValuesAndEncodesRfc3986()
    {
        var form = new AwsQueryForm("CreateRole", "2010-05-08")
            .Add("RoleName", "a b+c")
            .Add("Path", (string?)null)
            .Add("MaxItems", 5)
            .Add("Enabled", false)
            .AddList("Names.member", ["x", "y"])
            .AddTags("Tags.member", new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });

        Assert.Equal("Action=CreateRole&Version=2010-05-08&RoleName=a%20b%2Bc&MaxItems=5&Enabled=false&Names.member.1=x&Names.member.2=y" +
                     "&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.2.Key=b&Tags.member.2.Value=2", form.Encode());
    }

    [Fact]
    public void ASecretIsSentButNeitherPrintedNorForgotten()
    {
        var form = new AwsQueryForm("CreateDBInstance", "2014-10-31").Add("DBInstanceIdentifier", "db").AddSecret("MasterUserPassword", "pa55-word!");
        Assert.Contains("MasterUserPassword=pa55-word%21", form.Encode());
        Assert.Equal(["pa55-word!"], form.SecretValues);
        Assert.Equal("CreateDBInstance(DBInstanceIdentifier, MasterUserPassword)", form.ToString());
    }

    [Fact]
    public void TheSmithyQueryErrorSampleIsRead()
    {
        var error = AwsErrorReader.FromQueryXml(AwsTest.Sample("query-error.xml"));
        Assert.Equal(new AwsError("InvalidGreeting", "Hi", "foo-id"), error);
    }

    [Fact]
    public void TheEc2QueryErrorShapeIsReadToo()
    {
        // The ec2Query error example of the Smithy protocol tests (Ec2InvalidGreetingError).
        var error = AwsErrorReader.FromQueryXml("<Response>\n    <Errors>\n        <Error>\n            <Code>InvalidGreeting</Code>\n            <Message>Hi</Message>\n        </Error>\n    </Errors>\n    <RequestId>foo-id</RequestId>\n</Response>\n");
        Assert.Equal(new AwsError("InvalidGreeting", "Hi", "foo-id"), error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>Bad gateway</body></html>")]
    [InlineData("not xml at all")]
    public void ABodyWithoutAnAwsErrorReadsAsNone(string body) => Assert.Null(AwsErrorReader.FromQueryXml(body));

    [Theory]
    [InlineData("us-east-1", "https://iam.amazonaws.com/", "us-east-1")]
    [InlineData("eu-north-1", "https://iam.amazonaws.com/", "us-east-1")]
    [InlineData("cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1")]
    [InlineData("us-gov-east-1", "https://iam.us-gov.amazonaws.com/", "us-gov-west-1")]
    public void IamIsGlobalPerPartition(string region, string url, string signingRegion)
    {
        var endpoint = AwsEndpoint.Iam(region);
        Assert.Equal((url, signingRegion, "iam"), (endpoint.Url.ToString(), endpoint.SigningRegion, endpoint.SigningService));
    }

    [Fact]
    public void RegionalServicesAnswerInTheirRegion()
    {
        Assert.Equal("https://elasticloadbalancing.eu-north-1.amazonaws.com/", AwsEndpoint.ElbV2("eu-north-1").Url.ToString());
        Assert.Equal(("rds", "eu-north-1"), (AwsEndpoint.Rds("eu-north-1").SigningService, AwsEndpoint.Rds("eu-north-1").SigningRegion));
        Assert.Equal("https://acm.cn-north-1.amazonaws.com.cn/", AwsEndpoint.Acm("cn-north-1").Url.ToString());
        Assert.Equal("http://127.0.0.1:4566/", AwsEndpoint.Acm("us-east-1").At(new Uri("http://127.0.0.1:4566/")).Url.ToString());
    }

    [Fact]
    public async Task TheRegionsClientsShareOneTransportAndAnswerAtTheirEndpoints()
    {
        var fake = new FakeAws()
            .Ok(AwsTest.Sample("iam/GetRole.xml"))
            .Ok("<DescribeDBSubnetGroupsResponse><DescribeDBSubnetGroupsResult><DBSubnetGroups/></DescribeDBSubnetGroupsResult></DescribeDBSubnetGroupsResponse>");
        var log = new List<string>();
        var aws = AwsClients.ForRegion("eu-north-1", new BasicAWSCredentials(AwsTest.AccessKey, AwsTest.SecretKey), log.Add, new HttpClient(fake));

        await aws.Iam.GetRoleAsync("S3Access", CancellationToken.None);
        await aws.Rds.DescribeDbSubnetGroupsAsync(null, CancellationToken.None);

        Assert.Equal(["https://iam.amazonaws.com/", "https://rds.eu-north-1.amazonaws.com/"], fake.Requests.Select(r => r.Uri.ToString()));
        Assert.Contains("/us-east-1/iam/aws4_request", fake.Requests[0].Headers["Authorization"]);
        Assert.Contains("/eu-north-1/rds/aws4_request", fake.Requests[1].Headers["Authorization"]);
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public async Task CredentialsComeFromAwsSdkCoreIncludingTheSessionToken()
    {
        var basic = await new AwsCredentialSource(new BasicAWSCredentials("AKIDEXAMPLE", "secret")).GetAsync(CancellationToken.None);
        var session = await new AwsCredentialSource(new SessionAWSCredentials("ASIAEXAMPLE", "secret", "token")).GetAsync(CancellationToken.None);
        Assert.Equal(("AKIDEXAMPLE", "secret", (string?)null), (basic.AccessKeyId, basic.SecretAccessKey, basic.SessionToken));
        Assert.Equal(("ASIAEXAMPLE", "token"), (session.AccessKeyId, session.SessionToken));
    }

    private sealed class NoCredentials : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() => throw new AmazonClientException("Failed to resolve AWS credentials (test).");

        public override Task<ImmutableCredentials> GetCredentialsAsync() => Task.FromException<ImmutableCredentials>(new AmazonClientException("Failed to resolve AWS credentials (test)."));
    }

    [Fact]
    public async Task NoCredentialsIsFsw6023WithTheSdksReason()
    {
        var e = await Assert.ThrowsAsync<FswException>(() => new AwsCredentialSource(new NoCredentials()).GetAsync(CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsCredentialsMissing, e.Code);
        Assert.Equal(["Failed to resolve AWS credentials (test)."], e.Details);
    }

    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(3, 1000)]
    [InlineData(10, 20_000)]
    public void BackoffDoublesUpToItsCap(int retry, int milliseconds)
    {
        var policy = new AwsRetryPolicy { Jitter = () => 1.0 };
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), policy.DelayBefore(retry));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds / 2.0), (policy with { Jitter = () => 0.0 }).DelayBefore(retry));
    }
}
