namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// Exactly the IAM calls the instance roles need (Query API 2010-05-08, global endpoint). IamClient speaks to AWS;
/// a fake cloud implements the same. Lookups answer null for a missing entity (AWS's NoSuchEntity) so observing
/// needs no exception handling; every other failure is an <see cref="AwsApiException"/>. Policy documents go in
/// and come out as plain JSON text (AWS hands them back URL-encoded; the client decodes).
/// </summary>
public interface IIamApi
{
    Task<IamRole?> GetRoleAsync(string roleName, CancellationToken ct);
    Task<IamRole> CreateRoleAsync(IamRoleSpec spec, CancellationToken ct);
    Task TagRoleAsync(string roleName, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task DeleteRoleAsync(string roleName, CancellationToken ct);

    Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken ct);
    Task<string?> GetRolePolicyAsync(string roleName, string policyName, CancellationToken ct);
    Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken ct);

    Task<IamInstanceProfile?> GetInstanceProfileAsync(string name, CancellationToken ct);
    Task<IamInstanceProfile> CreateInstanceProfileAsync(string name, string? path, IReadOnlyDictionary<string, string> tags, CancellationToken ct);
    Task AddRoleToInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken ct);
    Task RemoveRoleFromInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken ct);
    Task DeleteInstanceProfileAsync(string name, CancellationToken ct);
}

/// <param name="AssumeRolePolicyDocument">The trust policy as JSON text, e.g. EC2 may assume the role.</param>
public sealed record IamRoleSpec(
    string RoleName,
    string AssumeRolePolicyDocument,
    IReadOnlyDictionary<string, string> Tags,
    string? Path = null,
    string? Description = null);

/// <param name="AssumeRolePolicyDocument">Decoded JSON text, trimmed.</param>
public sealed record IamRole(
    string RoleName,
    string RoleId,
    string Arn,
    string Path,
    string AssumeRolePolicyDocument,
    DateTimeOffset? CreateDate,
    IReadOnlyDictionary<string, string> Tags);

/// <param name="Roles">The role(s) in the profile: EC2 allows at most one.</param>
public sealed record IamInstanceProfile(
    string InstanceProfileName,
    string InstanceProfileId,
    string Arn,
    string Path,
    DateTimeOffset? CreateDate,
    IReadOnlyList<IamRole> Roles,
    IReadOnlyDictionary<string, string> Tags);
