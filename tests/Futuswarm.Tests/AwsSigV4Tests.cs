using System.Globalization;
using System.Text.Json;
using Amazon.Runtime.Internal.Auth;
using Futuswarm.Cluster.Provisioning.Aws;

namespace Futuswarm.Tests;

/// <summary>
/// The signer against AWS's published Signature Version 4 test suite and the IAM example of the SigV4
/// documentation (AwsSamples/sigv4, sources in its README): canonical request, string to sign and Authorization
/// header compared separately, so a failure says which stage is wrong.
/// </summary>
public class AwsSigV4Tests
{
    private static readonly JsonElement Suite = JsonDocument.Parse(AwsTest.Sample("sigv4/aws-sig-v4-test-suite.json")).RootElement;
    private static readonly JsonElement Iam = JsonDocument.Parse(AwsTest.Sample("sigv4/iam-listusers-example.json")).RootElement;

    public static TheoryData<string> SuiteCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Suite.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Case(string name) =>
        Suite.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static DateTimeOffset Date(JsonElement doc) =>
        DateTimeOffset.ParseExact(doc.GetProperty("date").GetString()!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static AwsCredentialsSnapshot Credentials(JsonElement doc, string? token = null) =>
        new(doc.GetProperty("credentials").GetProperty("accessKeyId").GetString()!,
            doc.GetProperty("credentials").GetProperty("secretAccessKey").GetString()!, token);

    /// <summary>The raw request as the suite's .req has it: the query split but not decoded (its values are raw already).</summary>
    private static SigV4Request Request(JsonElement c) => new(
        c.GetProperty("method").GetString()!,
        c.GetProperty("path").GetString()!,
        c.GetProperty("query").GetString()!.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : "")).ToList(),
        c.GetProperty("headers").EnumerateArray()
            .Select(h => new KeyValuePair<string, string>(h[0].GetString()!, h[1].GetString()!)).ToList(),
        SigV4.HexSha256(c.GetProperty("body").GetString()!));

    private static SigV4Signature SignCase(JsonElement c, JsonElement doc) =>
        SigV4.Sign(Request(c), Credentials(doc, c.TryGetProperty("sessionToken", out var t) ? t.GetString() : null),
            doc.GetProperty("region").GetString()!, doc.GetProperty("service").GetString()!, Date(doc));

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void TheSuitesCaseSignsToItsPublishedCanonicalRequestStringToSignAndAuthorization(string name)
    {
        var c = Case(name);
        var signature = SignCase(c, Suite);
        Assert.Equal(c.GetProperty("creq").GetString(), signature.CanonicalRequest);
        Assert.Equal(c.GetProperty("sts").GetString(), signature.StringToSign);
        Assert.Equal(c.GetProperty("authz").GetString(), signature.Authorization);
    }

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void TheTranscribedVectorsAreConsistent(string name)
    {
        // A transcription slip in the data would show here: each .sts ends with the hash of its .creq.
        var c = Case(name);
        Assert.EndsWith(SigV4.HexSha256(c.GetProperty("creq").GetString()!), c.GetProperty("sts").GetString());
    }

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void AwsSdkCoresOwnSignerAgreesOnTheSignatureOfOurCanonicalRequest(string name)
    {
        // An independent second opinion: AWSSDK.Core's AWS4Signer turns the canonical request into a signature.
        var c = Case(name);
        var ours = SignCase(c, Suite);
        var signedHeaders = ours.Authorization.Split("SignedHeaders=")[1].Split(',')[0];
        var sdk = AWS4Signer.ComputeSignature(AwsTest.AccessKey, AwsTest.SecretKey, "us-east-1", Date(Suite).UtcDateTime, "service", signedHeaders, ours.CanonicalRequest);
        Assert.Equal(sdk.ForAuthorizationHeader, ours.Authorization);
    }

    [Fact]
    public void TheIamListUsersExampleOfTheDocumentationSignsAsPublished()
    {
        var signature = SigV4.Sign(Request(Iam), Credentials(Iam), "us-east-1", "iam", Date(Iam));
        Assert.Equal(Iam.GetProperty("creq").GetString(), signature.CanonicalRequest);
        Assert.Equal(Iam.GetProperty("creqSha256").GetString(), SigV4.HexSha256(signature.CanonicalRequest));
        Assert.Equal(Iam.GetProperty("sts").GetString(), signature.StringToSign);
        Assert.Equal(Iam.GetProperty("authz").GetString(), signature.Authorization);
    }

    [Fact]
    public void TheSigningKeyOfTheIamExampleIsThePublishedOne()
    {
        var key = SigV4.SigningKey(AwsTest.SecretKey, "20150830", "us-east-1", "iam");
        Assert.Equal(Iam.GetProperty("signingKey").GetString(), Convert.ToHexStringLower(key));
        Assert.Equal(Convert.ToHexStringLower(AWS4Signer.ComposeSigningKey(AwsTest.SecretKey, "us-east-1", "20150830", "iam")), Convert.ToHexStringLower(key));
    }

    [Fact]
    public void TheHeadersToSetAreTheDateTheTokenAndTheAuthorization()
    {
        var signature = SignCase(Case("post-sts-header-before"), Suite);
        Assert.Equal(["X-Amz-Date", "X-Amz-Security-Token", "Authorization"], signature.AddedHeaders.Select(h => h.Key));
        Assert.Equal("20150830T123600Z", signature.AddedHeaders[0].Value);
    }

    [Fact]
    public void ReSigningIgnoresAStaleAuthorizationAndDate()
    {
        // A retried request still carries the previous attempt's headers; they must not leak into the new signature.
        var c = Case("get-vanilla");
        var request = Request(c);
        var first = SigV4.Sign(request, Credentials(Suite), "us-east-1", "service", Date(Suite));
        var stale = request with { Headers = [.. request.Headers, new("Authorization", first.Authorization), new("X-Amz-Date", "20000101T000000Z")] };
        Assert.Equal(first.Authorization, SigV4.Sign(stale, Credentials(Suite), "us-east-1", "service", Date(Suite)).Authorization);
    }

    [Theory]
    [InlineData("abcXYZ019-_.~", "abcXYZ019-_.~")]
    [InlineData("a b", "a%20b")]
    [InlineData("a+b=c&d", "a%2Bb%3Dc%26d")]
    [InlineData("{\"Version\":\"2012-10-17\"}", "%7B%22Version%22%3A%222012-10-17%22%7D")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("\u1234", "%E1%88%B4")]
    public void EncodingFollowsRfc3986WithUpperCaseHex(string value, string encoded) =>
        Assert.Equal(encoded, AwsUriEncoding.Encode(value));

    [Fact]
    public void TheCredentialsNeverPrintTheirSecret()
    {
        var text = new AwsCredentialsSnapshot(AwsTest.AccessKey, AwsTest.SecretKey, "token-value").ToString();
        Assert.Contains(AwsTest.AccessKey, text);
        Assert.DoesNotContain(AwsTest.SecretKey, text);
        Assert.DoesNotContain("token-value", text);
    }
}
