using System.Net;
using System.Text.Json;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>IamClient against the IAM API Reference's sample responses (AwsSamples/iam): the exact form sent, what is read back, errors.</summary>
public class AwsIamClientTests
{
    private const string Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private const string TrustPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private static readonly Dictionary<string, string> Tags = new() { ["futuswarm:cluster"] = "prod", ["futuswarm:role"] = "manager" };

    private static (IamClient Client, FakeAws Fake) Client()
    {
        var fake = new FakeAws();
        return (new IamClient(AwsTest.Transport(fake)), fake);
    }

    /// <summary>What IAM answers to an action without a result (no reference page shows more than this).</summary>
    private static string Empty(string action) =>
        $"<{action}Response xmlns=\"{Ns}\"><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></{action}Response>";

    /// <summary>The awsQuery error shape (AwsSamples/query-error.xml) with a code a reference page documents.</summary>
    private static string Error(string code, string message) =>
        $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>4a0c9d4e-EXAMPLE</RequestId></ErrorResponse>";

    internal static void AssertForm(AwsSeenRequest request, params (string Name, string Value)[] expected) =>
        Assert.Equal(expected.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)), request.Form);

    [Fact]
    public async Task GetRoleSendsTheRoleNameAndReadsTheDocumentedRole()
    {
        var (iam, fake) = Client();
        fake.Ok(AwsTest.Sample("iam/GetRole.xml"));

        var role = await iam.GetRoleAsync("S3Access", CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "GetRole"), ("Version", "2010-05-08"), ("RoleName", "S3Access"));
        AwsTest.AssertSignedAsReceived(fake.Requests[0], "us-east-1", "iam");
        Assert.Equal("https://iam.amazonaws.com/", fake.Requests[0].Uri.ToString());
        Assert.NotNull(role);
        Assert.Equal("S3Access", role.RoleName);
        Assert.Equal("AROADBQP57FF2AEXAMPLE", role.RoleId);
        Assert.Equal("arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access", role.Arn);
        Assert.Equal("/application_abc/component_xyz/", role.Path);
        Assert.Equal(new DateTimeOffset(2012, 5, 8, 23, 34, 1, TimeSpan.Zero), role.CreateDate);
        using var policy = JsonDocument.Parse(role.AssumeRolePolicyDocument);
        Assert.Equal("ec2.amazonaws.com", policy.RootElement.GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Service")[0].GetString());
        Assert.Empty(role.Tags);
    }

    [Fact]
    public async Task GetRoleAnswersNullForNoSuchEntity()
    {
        var (iam, fake) = Client();
        fake.Answer(HttpStatusCode.NotFound, Error("NoSuchEntity", "The role with name missing cannot be found."));
        Assert.Null(await iam.GetRoleAsync("missing", CancellationToken.None));
    }

    [Fact]
    public async Task PoliciesComeBackDecodedWhenIamUrlEncodesThem()
    {
        // IAM sends policy documents URL-encoded (RFC 3986); the reference sample shows it plain. Encode the sample's to check both.
        var (iam, fake) = Client();
        var sample = AwsTest.Sample("iam/GetRole.xml");
        var plain = sample.Split("<AssumeRolePolicyDocument>")[1].Split("</AssumeRolePolicyDocument>")[0];
        fake.Ok(sample.Replace(plain, Uri.EscapeDataString(plain.Trim())));

        var role = await iam.GetRoleAsync("S3Access", CancellationToken.None);
        Assert.Equal(plain.Trim(), role!.AssumeRolePolicyDocument);
    }

    [Fact]
    public async Task CreateRoleSendsTheTrustPolicyPathAndTagsAndReadsTheNewRole()
    {
        var (iam, fake) = Client();
        fake.Ok(AwsTest.Sample("iam/CreateRole.xml"));

        var role = await iam.CreateRoleAsync(new IamRoleSpec("S3Access", TrustPolicy, Tags, "/application_abc/component_xyz/", "managers of prod"), CancellationToken.None);

        AssertForm(fake.Requests[0],
            ("Action", "CreateRole"), ("Version", "2010-05-08"),
            ("RoleName", "S3Access"), ("Path", "/application_abc/component_xyz/"), ("Description", "managers of prod"),
            ("AssumeRolePolicyDocument", TrustPolicy),
            ("Tags.member.1.Key", "futuswarm:cluster"), ("Tags.member.1.Value", "prod"),
            ("Tags.member.2.Key", "futuswarm:role"), ("Tags.member.2.Value", "manager"));
        // On the wire the JSON is percent-encoded, a space as %20.
        Assert.Contains("AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22", fake.Requests[0].Body);
        Assert.Equal("AROADBQP57FF2AEXAMPLE", role.RoleId);
        Assert.Equal(new DateTimeOffset(2012, 5, 8, 23, 34, 1, 495, TimeSpan.Zero), role.CreateDate);
    }

    [Fact]
    public async Task RolePolicyCallsSendTheirFieldsAndGetRolePolicyReadsTheDocument()
    {
        var (iam, fake) = Client();
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}""";
        fake.Ok(Empty("PutRolePolicy")).Ok(AwsTest.Sample("iam/GetRolePolicy.xml")).Ok(Empty("DeleteRolePolicy"))
            .Answer(HttpStatusCode.NotFound, Error("NoSuchEntity", "The role policy with name S3AccessPolicy cannot be found."));

        await iam.PutRolePolicyAsync("S3Access", "S3AccessPolicy", policy, CancellationToken.None);
        var read = await iam.GetRolePolicyAsync("S3Access", "S3AccessPolicy", CancellationToken.None);
        await iam.DeleteRolePolicyAsync("S3Access", "S3AccessPolicy", CancellationToken.None);
        var gone = await iam.GetRolePolicyAsync("S3Access", "S3AccessPolicy", CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "PutRolePolicy"), ("Version", "2010-05-08"), ("RoleName", "S3Access"), ("PolicyName", "S3AccessPolicy"), ("PolicyDocument", policy));
        AssertForm(fake.Requests[1], ("Action", "GetRolePolicy"), ("Version", "2010-05-08"), ("RoleName", "S3Access"), ("PolicyName", "S3AccessPolicy"));
        AssertForm(fake.Requests[2], ("Action", "DeleteRolePolicy"), ("Version", "2010-05-08"), ("RoleName", "S3Access"), ("PolicyName", "S3AccessPolicy"));
        using var doc = JsonDocument.Parse(read!);
        Assert.Equal("s3:*", doc.RootElement.GetProperty("Statement")[0].GetProperty("Action")[0].GetString());
        Assert.Null(gone);
    }

    [Fact]
    public async Task TagRoleAndDeleteRoleSendTheirFields()
    {
        var (iam, fake) = Client();
        fake.Ok(Empty("TagRole")).Ok(Empty("DeleteRole"));

        await iam.TagRoleAsync("S3Access", new Dictionary<string, string> { ["futuswarm:cluster"] = "prod" }, CancellationToken.None);
        await iam.DeleteRoleAsync("S3Access", CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "TagRole"), ("Version", "2010-05-08"), ("RoleName", "S3Access"),
            ("Tags.member.1.Key", "futuswarm:cluster"), ("Tags.member.1.Value", "prod"));
        AssertForm(fake.Requests[1], ("Action", "DeleteRole"), ("Version", "2010-05-08"), ("RoleName", "S3Access"));
    }

    [Fact]
    public async Task GetInstanceProfileReadsTheProfileAndItsRole()
    {
        var (iam, fake) = Client();
        fake.Ok(AwsTest.Sample("iam/GetInstanceProfile.xml"));

        var profile = await iam.GetInstanceProfileAsync("Webserver", CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "GetInstanceProfile"), ("Version", "2010-05-08"), ("InstanceProfileName", "Webserver"));
        Assert.NotNull(profile);
        Assert.Equal("Webserver", profile.InstanceProfileName);
        Assert.Equal("AIPAD5ARO2C5EXAMPLE3G", profile.InstanceProfileId);
        Assert.Equal("arn:aws:iam::123456789012:instance-profile/application_abc/component_xyz/Webserver", profile.Arn);
        var role = Assert.Single(profile.Roles);
        Assert.Equal("S3Access", role.RoleName);
        Assert.Equal("AROACVYKSVTSZFEXAMPLE", role.RoleId);
    }

    [Fact]
    public async Task InstanceProfileLifecycleSendsItsFields()
    {
        var (iam, fake) = Client();
        fake.Ok(AwsTest.Sample("iam/CreateInstanceProfile.xml")).Ok(Empty("AddRoleToInstanceProfile"))
            .Ok(Empty("RemoveRoleFromInstanceProfile")).Ok(Empty("DeleteInstanceProfile"))
            .Answer(HttpStatusCode.NotFound, Error("NoSuchEntity", "Instance Profile Webserver cannot be found."));

        var created = await iam.CreateInstanceProfileAsync("Webserver", "/application_abc/component_xyz/", Tags, CancellationToken.None);
        await iam.AddRoleToInstanceProfileAsync("Webserver", "S3Access", CancellationToken.None);
        await iam.RemoveRoleFromInstanceProfileAsync("Webserver", "S3Access", CancellationToken.None);
        await iam.DeleteInstanceProfileAsync("Webserver", CancellationToken.None);
        var gone = await iam.GetInstanceProfileAsync("Webserver", CancellationToken.None);

        AssertForm(fake.Requests[0], ("Action", "CreateInstanceProfile"), ("Version", "2010-05-08"), ("InstanceProfileName", "Webserver"),
            ("Path", "/application_abc/component_xyz/"),
            ("Tags.member.1.Key", "futuswarm:cluster"), ("Tags.member.1.Value", "prod"), ("Tags.member.2.Key", "futuswarm:role"), ("Tags.member.2.Value", "manager"));
        AssertForm(fake.Requests[1], ("Action", "AddRoleToInstanceProfile"), ("Version", "2010-05-08"), ("InstanceProfileName", "Webserver"), ("RoleName", "S3Access"));
        AssertForm(fake.Requests[2], ("Action", "RemoveRoleFromInstanceProfile"), ("Version", "2010-05-08"), ("InstanceProfileName", "Webserver"), ("RoleName", "S3Access"));
        AssertForm(fake.Requests[3], ("Action", "DeleteInstanceProfile"), ("Version", "2010-05-08"), ("InstanceProfileName", "Webserver"));
        Assert.Empty(created.Roles);
        Assert.Equal(new DateTimeOffset(2012, 5, 9, 16, 11, 10, 222, TimeSpan.Zero), created.CreateDate);
        Assert.Null(gone);
    }

    [Fact]
    public async Task TheSmithyQueryErrorSampleBecomesFsw6020NamingTheCallCodeMessageAndRequestId()
    {
        var (iam, fake) = Client();
        fake.Answer(HttpStatusCode.BadRequest, AwsTest.Sample("query-error.xml"));

        var e = await Assert.ThrowsAsync<AwsApiException>(() => iam.CreateRoleAsync(new IamRoleSpec("r", TrustPolicy, Tags), CancellationToken.None));

        Assert.Equal(ErrorCodes.AwsApiRefused, e.Code);
        Assert.Equal("IAM CreateRole", e.Api);
        Assert.Equal("InvalidGreeting", e.AwsCode);
        Assert.Equal("Hi", e.AwsMessage);
        Assert.Equal("foo-id", e.RequestId);
        Assert.Equal("IAM CreateRole was refused by AWS: InvalidGreeting: Hi (HTTP 400, request id foo-id).", e.Message);
    }

    [Fact]
    public async Task AQuotaErrorIsNotMistakenForThrottling()
    {
        var (iam, fake) = Client();
        fake.Answer(HttpStatusCode.Conflict, Error("LimitExceeded", "Cannot exceed quota for RolesPerAccount: 1000"));
        var e = await Assert.ThrowsAsync<AwsApiException>(() => iam.CreateRoleAsync(new IamRoleSpec("r", TrustPolicy, Tags), CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsApiRefused, e.Code);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task AResultWithoutItsRoleIsFsw6022()
    {
        var (iam, fake) = Client();
        fake.Ok($"<GetRoleResponse xmlns=\"{Ns}\"><GetRoleResult/></GetRoleResponse>");
        var e = await Assert.ThrowsAsync<AwsApiException>(() => iam.GetRoleAsync("r", CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsResponseUnreadable, e.Code);
        Assert.Contains("IAM GetRole", e.Message);
    }
}
