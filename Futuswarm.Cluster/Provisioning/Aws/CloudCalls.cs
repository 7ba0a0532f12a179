using Amazon.Runtime;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// AWS calls as the engine expects them: a refusal becomes a <see cref="CloudException"/> carrying the service's own
/// code, so the reconciler reports every cloud call alike and retries on the codes it knows. One place for both the
/// AWSSDK clients (EC2, S3, KMS, SSM) and the hand-written ones (IAM, ELBv2, ACM, RDS).
/// </summary>
internal static class CloudCalls
{
    /// <summary>A call on an AWSSDK client.</summary>
    public static async Task<T> Sdk<T>(string name, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException e)
        {
            throw new CloudException(name, e.ErrorCode ?? e.StatusCode.ToString(), e.Message);
        }
        catch (AmazonClientException e)
        {
            throw new CloudException(name, "ClientError", e.Message);
        }
    }

    /// <summary>A call on a hand-written client (its messages already keep secrets out).</summary>
    public static async Task<T> Api<T>(string name, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AwsApiException e)
        {
            throw new CloudException(name, e.AwsCode, e.AwsMessage);
        }
    }

    public static Task Api(string name, Func<Task> call) => Api(name, async () => { await call(); return true; });
}
