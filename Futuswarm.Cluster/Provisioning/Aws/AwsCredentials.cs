using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>The key pair (and session token) one request is signed with. ToString never shows the secret or the token.</summary>
public sealed class AwsCredentialsSnapshot(string accessKeyId, string secretAccessKey, string? sessionToken = null)
{
    public string AccessKeyId { get; } = accessKeyId;
    public string SecretAccessKey { get; } = secretAccessKey;
    public string? SessionToken { get; } = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;

    public override string ToString() => $"AWS credentials {AccessKeyId} (secret hidden{(SessionToken is null ? "" : ", session token hidden")})";
}

/// <summary>
/// Credentials from AWSSDK.Core, so the hand-written clients find them exactly where the served SDK clients do:
/// given ones, or the default chain (environment, profile, web identity, ECS, EC2 instance metadata). The resolved
/// AWSCredentials object refreshes temporary credentials itself; each request asks it for the current ones.
/// </summary>
public sealed class AwsCredentialSource(AWSCredentials? credentials = null)
{
    private AWSCredentials? _resolved = credentials;

    public async Task<AwsCredentialsSnapshot> GetAsync(CancellationToken ct)
    {
        try
        {
            _resolved ??= await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).WaitAsync(ct);
            var current = await _resolved.GetCredentialsAsync().WaitAsync(ct);
            return new AwsCredentialsSnapshot(current.AccessKey, current.SecretKey, current.UseToken ? current.Token : null);
        }
        catch (AmazonClientException e)
        {
            // The SDK's text lists each provider it tried and why it had nothing; it names no secret.
            throw new FswException(ErrorCodes.AwsCredentialsMissing,
                "No AWS credentials were found (environment, shared profile, web identity, container or instance role). " +
                "Set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where a role is attached.",
                [e.Message]);
        }
    }
}
