using System.Net;
using System.Text;
using Amazon.Runtime;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>A request as the fake AWS endpoint received it.</summary>
internal sealed record AwsSeenRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The form fields in the order sent, decoded.</summary>
    public List<KeyValuePair<string, string>> Form =>
        Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p[1])))
            .ToList();

    public string Field(string name) => Form.Single(f => f.Key == name).Value;
}

/// <summary>An AWS endpoint in memory: answers from a script, records every request. No network.</summary>
internal sealed class FakeAws : HttpMessageHandler
{
    private readonly Queue<Func<AwsSeenRequest, HttpResponseMessage>> _answers = new();
    public List<AwsSeenRequest> Requests { get; } = [];

    public FakeAws Answer(HttpStatusCode status, string body, string contentType = "text/xml", params (string Name, string Value)[] headers)
    {
        _answers.Enqueue(_ =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
            foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
            return response;
        });
        return this;
    }

    public FakeAws Ok(string body, string contentType = "text/xml") => Answer(HttpStatusCode.OK, body, contentType);

    public FakeAws Fail(Exception e)
    {
        _answers.Enqueue(_ => throw e);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var seen = new AwsSeenRequest(request.Method, request.RequestUri!, headers, request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct));
        Requests.Add(seen);
        if (_answers.Count == 0) throw new InvalidOperationException($"no answer scripted for request {Requests.Count}");
        return _answers.Dequeue()(seen);
    }
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Transports wired to a FakeAws, a fixed clock, AWS's example key pair and a retry policy that does not sleep.</summary>
internal static class AwsTest
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public static readonly DateTimeOffset Now = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    public static AwsHttpTransport Transport(FakeAws fake, List<string>? log = null, List<TimeSpan>? delays = null, AWSCredentials? credentials = null, int maxAttempts = 4) =>
        new(new HttpClient(fake),
            new AwsCredentialSource(credentials ?? new BasicAWSCredentials(AccessKey, SecretKey)),
            new AwsRetryPolicy
            {
                MaxAttempts = maxAttempts,
                Jitter = () => 1.0,
                Delay = (d, _) => { delays?.Add(d); return Task.CompletedTask; },
            },
            new FixedClock(Now),
            log is null ? null : log.Add);

    public static string Sample(string relative) =>
        File.ReadAllText(Path.Combine(RepoRoot.Path, "tests", "Futuswarm.Tests", "AwsSamples", relative));

    /// <summary>Recomputes the signature from what was received: the header AWS would check must match.</summary>
    public static void AssertSignedAsReceived(AwsSeenRequest r, string region, string service, string? sessionToken = null)
    {
        var authorization = r.Headers["Authorization"];
        var signedNames = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var headers = signedNames.Select(n => new KeyValuePair<string, string>(n, r.Headers[n])).ToList();
        var again = SigV4.Sign(new SigV4Request(r.Method.Method, r.Uri.AbsolutePath, [], headers, SigV4.HexSha256(r.Body)),
            new AwsCredentialsSnapshot(AccessKey, SecretKey, sessionToken), region, service, Now);
        Assert.Equal(again.Authorization, authorization);
        Assert.Contains("host", signedNames);
        Assert.Contains("x-amz-date", signedNames);
    }
}

/// <summary>The transport: signing on the wire, retries with bounded backoff, error codes, and no secrets in logs or errors.</summary>
public class AwsTransportTests
{
    private static readonly AwsEndpoint Iam = AwsEndpoint.Iam();

    private static AwsCall Call(string api = "IAM GetRole", string body = "Action=GetRole&Version=2010-05-08&RoleName=r", IReadOnlyList<string>? secrets = null) =>
        new(Iam, api, Encoding.UTF8.GetBytes(body), AwsQueryClient.ContentType, [],
            (text, headers) => AwsErrorReader.FromQueryXml(text, headers), secrets ?? []);

    private static string QueryError(string code, string message) =>
        $"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>";

    [Fact]
    public async Task ARequestIsSignedForTheEndpointAndSentAsSigned()
    {
        var fake = new FakeAws().Ok("<GetRoleResponse/>");
        await AwsTest.Transport(fake).SendAsync(Call(), CancellationToken.None);

        var r = Assert.Single(fake.Requests);
        Assert.Equal(HttpMethod.Post, r.Method);
        Assert.Equal("https://iam.amazonaws.com/", r.Uri.ToString());
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", r.Headers["Content-Type"]);
        Assert.Equal("20150830T123600Z", r.Headers["X-Amz-Date"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=",
            r.Headers["Authorization"]);
        Assert.False(r.Headers.ContainsKey("X-Amz-Security-Token"));
        AwsTest.AssertSignedAsReceived(r, "us-east-1", "iam");
    }

    [Fact]
    public async Task SessionCredentialsSendAndSignTheSecurityToken()
    {
        var fake = new FakeAws().Ok("<GetRoleResponse/>");
        await AwsTest.Transport(fake, credentials: new SessionAWSCredentials(AwsTest.AccessKey, AwsTest.SecretKey, "the-session-token"))
            .SendAsync(Call(), CancellationToken.None);

        var r = Assert.Single(fake.Requests);
        Assert.Equal("the-session-token", r.Headers["X-Amz-Security-Token"]);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,", r.Headers["Authorization"]);
        AwsTest.AssertSignedAsReceived(r, "us-east-1", "iam", "the-session-token");
    }

    [Fact]
    public async Task ThrottlingIsRetriedWithGrowingDelaysAndTheRetriesAreCounted()
    {
        var fake = new FakeAws()
            .Answer(HttpStatusCode.BadRequest, QueryError("Throttling", "Rate exceeded"))
            .Answer(HttpStatusCode.ServiceUnavailable, QueryError("ServiceUnavailable", "try later"))
            .Ok("<GetRoleResponse/>");
        var delays = new List<TimeSpan>();
        var transport = AwsTest.Transport(fake, delays: delays);

        Assert.Equal("<GetRoleResponse/>", await transport.SendAsync(Call(), CancellationToken.None));
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(2, transport.Retries);
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)], delays);
        // Each attempt is signed afresh.
        Assert.All(fake.Requests, r => AwsTest.AssertSignedAsReceived(r, "us-east-1", "iam"));
    }

    [Fact]
    public async Task RetriesAreBoundedAndTheLastFailureIsFsw6021WithTheAttempts()
    {
        var fake = new FakeAws();
        for (var i = 0; i < 4; i++) fake.Answer(HttpStatusCode.InternalServerError, QueryError("ServiceFailure", "boom"));
        var transport = AwsTest.Transport(fake, maxAttempts: 4);

        var e = await Assert.ThrowsAsync<AwsApiException>(() => transport.SendAsync(Call(), CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsApiUnavailable, e.Code);
        Assert.Equal("ServiceFailure", e.AwsCode);
        Assert.Equal(4, e.Attempts);
        Assert.Equal(3, transport.Retries);
        Assert.Equal(4, fake.Requests.Count);
        Assert.Contains("IAM GetRole", e.Message);
        Assert.Contains("4 attempts", e.Message);
    }

    [Fact]
    public async Task NetworkFailuresAreRetriedToo()
    {
        var fake = new FakeAws().Fail(new HttpRequestException("connection reset")).Ok("<GetRoleResponse/>");
        var transport = AwsTest.Transport(fake);
        await transport.SendAsync(Call(), CancellationToken.None);
        Assert.Equal(1, transport.Retries);
    }

    [Fact]
    public async Task ARefusalIsNotRetriedAndIsFsw6020NamingTheApiCodeAndMessage()
    {
        var fake = new FakeAws().Answer(HttpStatusCode.Forbidden, QueryError("AccessDenied", "User: arn:aws:iam::1:user/x is not authorized to perform: iam:GetRole"));
        var transport = AwsTest.Transport(fake);

        var e = await Assert.ThrowsAsync<AwsApiException>(() => transport.SendAsync(Call(), CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsApiRefused, e.Code);
        Assert.Equal("AccessDenied", e.AwsCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
        Assert.Equal("req-1", e.RequestId);
        Assert.Equal(0, transport.Retries);
        Assert.Equal("IAM GetRole was refused by AWS: AccessDenied: User: arn:aws:iam::1:user/x is not authorized to perform: iam:GetRole (HTTP 403, request id req-1).", e.Message);
    }

    [Fact]
    public async Task AnAnswerWithoutAnAwsErrorIsFsw6022()
    {
        var fake = new FakeAws().Answer(HttpStatusCode.Forbidden, "<html>proxy says no</html>", "text/html");
        var e = await Assert.ThrowsAsync<AwsApiException>(() => AwsTest.Transport(fake).SendAsync(Call(), CancellationToken.None));
        Assert.Equal(ErrorCodes.AwsResponseUnreadable, e.Code);
    }

    [Fact]
    public async Task SecretsAndBodiesStayOutOfLogsAndErrors()
    {
        const string password = "Sup3r-Secret!pw";
        var fake = new FakeAws().Answer(HttpStatusCode.BadRequest, QueryError("InvalidParameterValue", $"The parameter MasterUserPassword {password} is not valid."));
        var log = new List<string>();
        var transport = AwsTest.Transport(fake, log);

        var e = await Assert.ThrowsAsync<AwsApiException>(() =>
            transport.SendAsync(Call("RDS CreateDBInstance", $"Action=CreateDBInstance&MasterUserPassword={password}", [password]), CancellationToken.None));

        Assert.Contains(password, fake.Requests[0].Body);
        Assert.DoesNotContain(password, e.Message);
        Assert.DoesNotContain(password, e.AwsMessage);
        Assert.Contains("***", e.Message);
        var line = Assert.Single(log);
        Assert.StartsWith("AWS RDS CreateDBInstance: HTTP 400 InvalidParameterValue in ", line);
        Assert.DoesNotContain(password, line);
        Assert.DoesNotContain("Action=", line);
    }
}
