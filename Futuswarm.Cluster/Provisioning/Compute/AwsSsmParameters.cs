using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>
/// <see cref="ISsmParameters"/> on AWSSDK.SimpleSystemsManagement. ParameterNotFound is an answer (null, false), not an
/// error. A SecureString's value goes into the request only: exception texts carry SSM's code and message, which never
/// echo it.
/// </summary>
public sealed class AwsSsmParameters(IAmazonSimpleSystemsManagement client) : ISsmParameters
{
    public async Task<string?> GetParameterAsync(string name, CancellationToken ct) =>
        (await Get(name, decrypt: false, ct))?.Value;

    public async Task<string?> GetSecureStringAsync(string name, CancellationToken ct) =>
        (await Get(name, decrypt: true, ct))?.Value;

    public Task PutSecureStringAsync(string name, string value, string kmsKeyId, IReadOnlyDictionary<string, string> tags, bool overwrite, CancellationToken ct) =>
        Call("PutParameter", () => client.PutParameterAsync(PutRequest(name, value, kmsKeyId, tags, overwrite), ct));

    /// <summary>SSM refuses Tags together with Overwrite: tags go with the first write only.</summary>
    internal static PutParameterRequest PutRequest(string name, string value, string kmsKeyId, IReadOnlyDictionary<string, string> tags, bool overwrite) => new()
    {
        Name = name,
        Value = value,
        Type = ParameterType.SecureString,
        KeyId = kmsKeyId,
        Overwrite = overwrite,
        Tags = overwrite ? null : tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
    };

    public async Task<bool> DeleteParameterAsync(string name, CancellationToken ct)
    {
        try
        {
            await client.DeleteParameterAsync(new DeleteParameterRequest { Name = name }, ct);
            return true;
        }
        catch (ParameterNotFoundException)
        {
            return false;
        }
        catch (AmazonServiceException e)
        {
            throw new CloudException("DeleteParameter", e.ErrorCode ?? e.StatusCode.ToString(), e.Message);
        }
        catch (AmazonClientException e)
        {
            throw new CloudException("DeleteParameter", "ClientError", e.Message);
        }
    }

    private async Task<Parameter?> Get(string name, bool decrypt, CancellationToken ct)
    {
        try
        {
            return (await client.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = decrypt }, ct)).Parameter;
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }
        catch (AmazonServiceException e)
        {
            throw new CloudException("GetParameter", e.ErrorCode ?? e.StatusCode.ToString(), e.Message);
        }
        catch (AmazonClientException e)
        {
            throw new CloudException("GetParameter", "ClientError", e.Message);
        }
    }

    private static Task<T> Call<T>(string name, Func<Task<T>> call) => Aws.CloudCalls.Sdk(name, call);
}
