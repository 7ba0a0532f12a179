using System.Xml.Linq;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>IIamApi over the IAM Query API (2010-05-08), signed for the partition's IAM region.</summary>
public sealed class IamClient(AwsHttpTransport transport, AwsEndpoint? endpoint = null) : IIamApi
{
    public const string Version = "2010-05-08";
    private readonly AwsQueryClient _query = new(transport, endpoint ?? AwsEndpoint.Iam());

    public async Task<IamRole?> GetRoleAsync(string roleName, CancellationToken ct)
    {
        try
        {
            return await _query.CallAsync(Form("GetRole").Add("RoleName", roleName), r => ReadRole(r.Child("Role") ?? throw Missing(r, "Role")), ct);
        }
        catch (AwsApiException e) when (e.AwsCode == "NoSuchEntity")
        {
            return null;
        }
    }

    public Task<IamRole> CreateRoleAsync(IamRoleSpec spec, CancellationToken ct) =>
        _query.CallAsync(Form("CreateRole")
                .Add("RoleName", spec.RoleName)
                .Add("Path", spec.Path)
                .Add("Description", spec.Description)
                .Add("AssumeRolePolicyDocument", spec.AssumeRolePolicyDocument)
                .AddTags("Tags.member", spec.Tags),
            r => ReadRole(r.Child("Role") ?? throw Missing(r, "Role")), ct);

    public Task TagRoleAsync(string roleName, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        _query.CallAsync(Form("TagRole").Add("RoleName", roleName).AddTags("Tags.member", tags), ct);

    public Task DeleteRoleAsync(string roleName, CancellationToken ct) =>
        _query.CallAsync(Form("DeleteRole").Add("RoleName", roleName), ct);

    public Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken ct) =>
        _query.CallAsync(Form("PutRolePolicy").Add("RoleName", roleName).Add("PolicyName", policyName).Add("PolicyDocument", policyDocument), ct);

    public async Task<string?> GetRolePolicyAsync(string roleName, string policyName, CancellationToken ct)
    {
        try
        {
            return await _query.CallAsync(Form("GetRolePolicy").Add("RoleName", roleName).Add("PolicyName", policyName),
                r => DecodePolicy(r.Required("PolicyDocument")), ct);
        }
        catch (AwsApiException e) when (e.AwsCode == "NoSuchEntity")
        {
            return null;
        }
    }

    public Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken ct) =>
        _query.CallAsync(Form("DeleteRolePolicy").Add("RoleName", roleName).Add("PolicyName", policyName), ct);

    public async Task<IamInstanceProfile?> GetInstanceProfileAsync(string name, CancellationToken ct)
    {
        try
        {
            return await _query.CallAsync(Form("GetInstanceProfile").Add("InstanceProfileName", name),
                r => ReadInstanceProfile(r.Child("InstanceProfile") ?? throw Missing(r, "InstanceProfile")), ct);
        }
        catch (AwsApiException e) when (e.AwsCode == "NoSuchEntity")
        {
            return null;
        }
    }

    public Task<IamInstanceProfile> CreateInstanceProfileAsync(string name, string? path, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        _query.CallAsync(Form("CreateInstanceProfile").Add("InstanceProfileName", name).Add("Path", path).AddTags("Tags.member", tags),
            r => ReadInstanceProfile(r.Child("InstanceProfile") ?? throw Missing(r, "InstanceProfile")), ct);

    public Task AddRoleToInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken ct) =>
        _query.CallAsync(Form("AddRoleToInstanceProfile").Add("InstanceProfileName", instanceProfileName).Add("RoleName", roleName), ct);

    public Task RemoveRoleFromInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken ct) =>
        _query.CallAsync(Form("RemoveRoleFromInstanceProfile").Add("InstanceProfileName", instanceProfileName).Add("RoleName", roleName), ct);

    public Task DeleteInstanceProfileAsync(string name, CancellationToken ct) =>
        _query.CallAsync(Form("DeleteInstanceProfile").Add("InstanceProfileName", name), ct);

    /// <summary>IAM returns policies URL-encoded (RFC 3986); the documentation's samples show them plain. Both read the same.</summary>
    public static string DecodePolicy(string raw) => Uri.UnescapeDataString(raw.Trim()).Trim();

    internal static IamRole ReadRole(XElement role) => new(
        role.Required("RoleName"),
        role.Required("RoleId"),
        role.Required("Arn"),
        role.Text("Path") ?? "/",
        DecodePolicy(role.Text("AssumeRolePolicyDocument") ?? ""),
        role.Date("CreateDate"),
        role.Tags());

    private static IamInstanceProfile ReadInstanceProfile(XElement profile) => new(
        profile.Required("InstanceProfileName"),
        profile.Required("InstanceProfileId"),
        profile.Required("Arn"),
        profile.Text("Path") ?? "/",
        profile.Date("CreateDate"),
        profile.Items("Roles").Select(ReadRole).ToList(),
        profile.Tags());

    private static AwsQueryForm Form(string action) => new(action, Version);

    private static FormatException Missing(XElement parent, string name) => new($"<{parent.Name.LocalName}> has no <{name}>");
}
