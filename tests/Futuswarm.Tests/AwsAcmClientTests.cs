using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>AcmClient (JSON 1.1) against the ACM API Reference's sample responses (AwsSamples/acm).</summary>
public class AwsAcmClientTests
{
    private const string Arn = "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012";
    private const string Json = "application/x-amz-json-1.1";

    private static (AcmClient Client, FakeAws Fake) Client()
    {
        var fake = new FakeAws();
        return (new AcmClient(AwsTest.Transport(fake), "us-east-1"), fake);
    }

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\n     got {actual}");

    [Fact]
    public async Task RequestCertificateAsksForAWildcardWithTheApexValidatedByDns()
    {
        var (acm, fake) = Client();
        fake.Ok(AwsTest.Sample("acm/RequestCertificate.json"), Json);

        var arn = await acm.RequestCertificateAsync(
            AcmCertificateRequest.Wildcard("apps.example.com", "futuswarm_prod", new Dictionary<string, string> { ["futuswarm:cluster"] = "prod" }),
            CancellationToken.None);

        var r = Assert.Single(fake.Requests);
        Assert.Equal("https://acm.us-east-1.amazonaws.com/", r.Uri.ToString());
        Assert.Equal("CertificateManager.RequestCertificate", r.Headers["X-Amz-Target"]);
        Assert.Equal(Json, r.Headers["Content-Type"]);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,", r.Headers["Authorization"]);
        AwsTest.AssertSignedAsReceived(r, "us-east-1", "acm");
        AssertJson("""
            {"DomainName":"*.apps.example.com","ValidationMethod":"DNS","IdempotencyToken":"futuswarm_prod",
             "SubjectAlternativeNames":["apps.example.com"],"Tags":[{"Key":"futuswarm:cluster","Value":"prod"}]}
            """, r.Body);
        Assert.Equal("arn:aws:acm:us-east-1:123456789012:certificate/1ad574bd-eeb0-466e-b961-74ec8b405093", arn);
    }

    [Fact]
    public async Task ABadIdempotencyTokenIsRefusedBeforeAnyCall()
    {
        var (acm, fake) = Client();
        var e = await Assert.ThrowsAsync<FswException>(() => acm.RequestCertificateAsync(
            AcmCertificateRequest.Wildcard("example.com", "has-dashes", new Dictionary<string, string>()), CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsRequestInvalid, e.Code);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task DescribeCertificateReadsTheDocumentedCertificate()
    {
        var (acm, fake) = Client();
        fake.Ok(AwsTest.Sample("acm/DescribeCertificate.json"), Json);

        var cert = await acm.DescribeCertificateAsync(Arn, CancellationToken.None);

        AssertJson($$"""{"CertificateArn":"{{Arn}}"}""", fake.Requests[0].Body);
        Assert.Equal("CertificateManager.DescribeCertificate", fake.Requests[0].Headers["X-Amz-Target"]);
        Assert.NotNull(cert);
        Assert.Equal(Arn, cert.Arn);
        Assert.Equal("example.com", cert.DomainName);
        Assert.Equal(["example.com", "www.example.com"], cert.SubjectAlternativeNames);
        Assert.Equal("ISSUED", cert.Status);
        Assert.Equal(["arn:aws:cloudfront::111122223333:distribution/E12KXPQHVLSYVC"], cert.InUseBy);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1484481600), cert.NotAfter);
        Assert.Equal(["example.com", "www.example.com"], cert.DomainValidationOptions.Select(v => v.DomainName));
        Assert.Equal("www.example.com", cert.DomainValidationOptions[1].ValidationDomain);
        Assert.All(cert.DomainValidationOptions, v => Assert.Null(v.ResourceRecord));
    }

    [Fact]
    public void TheDocumentedDnsValidationRecordIsRead()
    {
        // The sample's DNS record sits in RenewalSummary.DomainValidationOptions: the same DomainValidation shape.
        using var doc = JsonDocument.Parse(AwsTest.Sample("acm/DescribeCertificate.json"));
        var renewal = doc.RootElement.GetProperty("Certificate").GetProperty("RenewalSummary").GetProperty("DomainValidationOptions")[0];

        var v = AcmClient.ReadDomainValidation(renewal);

        Assert.Equal(new AcmDomainValidation("www.example.com", "www.amazon.com", "DNS", "SUCCESS", new AcmResourceRecord("example", "CNAME", "example")), v);
    }

    [Fact]
    public async Task APendingCertificateShowsTheRecordsToCreate()
    {
        // Written after the DomainValidation data type of the reference (no page shows a pending DNS certificate).
        var (acm, fake) = Client();
        fake.Ok($$$"""
            {"Certificate":{"CertificateArn":"{{{Arn}}}","DomainName":"*.apps.example.com","SubjectAlternativeNames":["*.apps.example.com","apps.example.com"],
             "Status":"PENDING_VALIDATION","Type":"AMAZON_ISSUED","DomainValidationOptions":[
              {"DomainName":"*.apps.example.com","ValidationDomain":"apps.example.com","ValidationMethod":"DNS","ValidationStatus":"PENDING_VALIDATION",
               "ResourceRecord":{"Name":"_a79865eb4cd1a6ab990a45779b4e0b96.apps.example.com.","Type":"CNAME","Value":"_424fad8f7a3ca1a3ae8e7db83a3e5b4e.acm-validations.aws."}},
              {"DomainName":"apps.example.com","ValidationDomain":"apps.example.com","ValidationMethod":"DNS","ValidationStatus":"PENDING_VALIDATION",
               "ResourceRecord":{"Name":"_a79865eb4cd1a6ab990a45779b4e0b96.apps.example.com.","Type":"CNAME","Value":"_424fad8f7a3ca1a3ae8e7db83a3e5b4e.acm-validations.aws."}}]}}
            """, Json);

        var cert = await acm.DescribeCertificateAsync(Arn, CancellationToken.None);

        Assert.Equal(("PENDING_VALIDATION", "AMAZON_ISSUED"), (cert!.Status, cert.Type));
        Assert.All(cert.DomainValidationOptions, v => Assert.Equal("CNAME", v.ResourceRecord!.Type));
        Assert.Single(cert.DomainValidationOptions.Select(v => v.ResourceRecord).Distinct());
    }

    [Fact]
    public async Task AMissingCertificateIsNull()
    {
        var (acm, fake) = Client();
        fake.Answer(HttpStatusCode.BadRequest, $$"""{"__type":"ResourceNotFoundException","message":"Could not find certificate {{Arn}}."}""", Json);
        Assert.Null(await acm.DescribeCertificateAsync(Arn, CancellationToken.None));
    }

    [Fact]
    public async Task ListCertificatesFollowsNextToken()
    {
        // Page 1 is the ListCertificates sample with a NextToken added (as the AWS CLI example shows one); page 2 is written here.
        var (acm, fake) = Client();
        var first = AwsTest.Sample("acm/ListCertificates.json").TrimEnd().TrimEnd('}') + ", \"NextToken\": \"9f4d9f69-275a-41fe-b58e-2b837bd9ba48\"}";
        fake.Ok(first, Json)
            .Ok("""{"CertificateSummaryList":[{"CertificateArn":"arn:aws:acm:us-east-1:111122223333:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","DomainName":"*.apps.example.com","Status":"ISSUED"}]}""", Json);

        var all = await acm.ListCertificatesAsync(["ISSUED", "PENDING_VALIDATION"], CancellationToken.None);

        Assert.Equal(["www.example.com", "www.corp.net", "*.apps.example.com"], all.Select(c => c.DomainName));
        Assert.Equal("ISSUED", all[2].Status);
        AssertJson("""{"CertificateStatuses":["ISSUED","PENDING_VALIDATION"]}""", fake.Requests[0].Body);
        AssertJson("""{"CertificateStatuses":["ISSUED","PENDING_VALIDATION"],"NextToken":"9f4d9f69-275a-41fe-b58e-2b837bd9ba48"}""", fake.Requests[1].Body);
        Assert.All(fake.Requests, r => Assert.Equal("CertificateManager.ListCertificates", r.Headers["X-Amz-Target"]));
    }

    [Fact]
    public async Task DeleteCertificateSendsTheArn()
    {
        var (acm, fake) = Client();
        fake.Ok("", Json);
        await acm.DeleteCertificateAsync(Arn, CancellationToken.None);
        Assert.Equal("CertificateManager.DeleteCertificate", fake.Requests[0].Headers["X-Amz-Target"]);
        AssertJson($$"""{"CertificateArn":"{{Arn}}"}""", fake.Requests[0].Body);
    }

    [Fact]
    public async Task AJsonErrorIsFsw6020WithTheTypeAndMessage()
    {
        var (acm, fake) = Client();
        fake.Answer(HttpStatusCode.BadRequest, $$"""{"__type":"ResourceInUseException","message":"Certificate {{Arn}} in use by a load balancer."}""", Json);

        var e = await Assert.ThrowsAsync<AwsApiException>(() => acm.DeleteCertificateAsync(Arn, CancellationToken.None));

        Assert.Equal(ErrorCodes.AwsApiRefused, e.Code);
        Assert.Equal(("ACM DeleteCertificate", "ResourceInUseException"), (e.Api, e.AwsCode));
        Assert.Contains("in use by a load balancer", e.Message);
    }

    [Fact]
    public async Task JsonThrottlingIsRetried()
    {
        var (acm, fake) = Client();
        fake.Answer(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}""", Json).Ok("", Json);
        await acm.DeleteCertificateAsync(Arn, CancellationToken.None);
        Assert.Equal(2, fake.Requests.Count);
    }

    // The four spellings of one error type that the Smithy AWS protocol specifications say resolve to "FooError".
    [Theory]
    [InlineData("FooError")]
    [InlineData("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/")]
    [InlineData("aws.protocoltests.restjson#FooError")]
    [InlineData("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/")]
    public void ErrorTypesAreReadTheWayTheSmithySpecificationSays(string type)
    {
        Assert.Equal("FooError", AwsErrorReader.FromJson($$"""{"__type":"{{type}}","Message":"Hi"}""")!.Code);
        Assert.Equal("FooError", AwsErrorReader.FromJson($$"""{"code":"{{type}}"}""")!.Code);
        var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("X-Amzn-ErrorType", type);
        Assert.Equal("FooError", AwsErrorReader.FromJson("", response.Headers)!.Code);
        Assert.Equal("Hi", AwsErrorReader.FromJson($$"""{"__type":"{{type}}","Message":"Hi"}""")!.Message);
    }
}
