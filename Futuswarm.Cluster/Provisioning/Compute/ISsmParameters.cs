namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>
/// The SSM Parameter Store calls the cluster uses: AWS's public parameters (the Debian AMI of the region) and the
/// swarm join tokens as SecureStrings encrypted with the cluster's KMS key. AwsSsmParameters maps them onto
/// AWSSDK.SimpleSystemsManagement, FakeSsmParameters keeps them in memory. A SecureString value never appears in a
/// log, a call record or an exception text.
/// </summary>
public interface ISsmParameters
{
    /// <summary>A plain parameter's value, or null when it does not exist (ParameterNotFound).</summary>
    Task<string?> GetParameterAsync(string name, CancellationToken ct);

    /// <summary>
    /// Writes a SecureString encrypted with <paramref name="kmsKeyId"/>. SSM refuses tags together with overwrite, so
    /// tags are sent only when <paramref name="overwrite"/> is false (the first write); an existing parameter keeps its tags.
    /// </summary>
    Task PutSecureStringAsync(string name, string value, string kmsKeyId, IReadOnlyDictionary<string, string> tags, bool overwrite, CancellationToken ct);

    /// <summary>A SecureString's decrypted value, or null when it does not exist.</summary>
    Task<string?> GetSecureStringAsync(string name, CancellationToken ct);

    /// <summary>Deletes the parameter; false when there was none.</summary>
    Task<bool> DeleteParameterAsync(string name, CancellationToken ct);
}
