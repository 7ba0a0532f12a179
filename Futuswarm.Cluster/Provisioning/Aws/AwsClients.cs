using Amazon.Runtime;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// The four hand-written clients of one region over one transport, so they share credentials, retry policy,
/// the retry count and the log. Provisioning takes the interfaces; a fake cloud builds this record from its own.
/// </summary>
public sealed record AwsClients(IIamApi Iam, IElbV2Api ElbV2, IAcmApi Acm, IRdsApi Rds)
{
    /// <param name="credentials">Null: AWSSDK.Core's default chain.</param>
    /// <param name="log">One line per HTTP attempt (call, status, time), never a body.</param>
    public static AwsClients ForRegion(string region, AWSCredentials? credentials = null, Action<string>? log = null, HttpClient? http = null, AwsRetryPolicy? retry = null)
    {
        var transport = new AwsHttpTransport(http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(60) }, new AwsCredentialSource(credentials), retry, log: log);
        return new AwsClients(
            new IamClient(transport, AwsEndpoint.Iam(region)),
            new ElbV2Client(transport, region),
            new AcmClient(transport, region),
            new RdsClient(transport, region));
    }
}
