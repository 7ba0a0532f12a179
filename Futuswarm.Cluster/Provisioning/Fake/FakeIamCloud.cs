using System.Net;
using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// An in-memory IAM behind <see cref="IIamApi"/>, refusing what IAM refuses (EntityAlreadyExists, NoSuchEntity,
/// DeleteConflict for a role with a policy or in a profile and for a profile with a role, LimitExceeded for a second
/// role in a profile, MalformedPolicyDocument) with the real client's <see cref="AwsApiException"/>. It keeps policy
/// documents as the text given, counts every mutating call by name and can refuse the Nth one.
/// </summary>
public sealed class FakeIamCloud(string accountId = "123456789012") : FakeCloud("ServiceFailure"), IIamApi
{
    private sealed class Role(string name, string id, string path, string trust, Dictionary<string, string> tags)
    {
        public string Name { get; } = name;
        public string Id { get; } = id;
        public string Path { get; } = path;
        public string Trust { get; } = trust;
        public Dictionary<string, string> Tags { get; } = tags;
        public Dictionary<string, string> Policies { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Profile(string name, string id, string path, Dictionary<string, string> tags)
    {
        public string Name { get; } = name;
        public string Id { get; } = id;
        public string Path { get; } = path;
        public Dictionary<string, string> Tags { get; } = tags;
        public List<string> Roles { get; } = [];
    }

    private readonly Dictionary<string, Role> _roles = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Profile> _profiles = new(StringComparer.OrdinalIgnoreCase);
    private int _nextId;

    public IReadOnlyCollection<string> RoleNames => _roles.Keys.Order(StringComparer.Ordinal).ToList();
    public IReadOnlyCollection<string> ProfileNames => _profiles.Keys.Order(StringComparer.Ordinal).ToList();

    public override IReadOnlyList<string> Tagged(string cluster) =>
        _roles.Values.Where(r => r.Tags.GetValueOrDefault(Engine.ClusterTags.Cluster) == cluster).Select(r => "iam-role " + r.Name)
            .Concat(_profiles.Values.Where(p => p.Tags.GetValueOrDefault(Engine.ClusterTags.Cluster) == cluster).Select(p => "instance-profile " + p.Name)).ToList();

    /// <summary>The inline policy names of a role, for asserting that nothing else was attached.</summary>
    public IReadOnlyList<string> PolicyNames(string roleName) =>
        _roles.TryGetValue(roleName, out var r) ? r.Policies.Keys.Order(StringComparer.Ordinal).ToList() : [];

    public Task<IamRole?> GetRoleAsync(string roleName, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(_roles.TryGetValue(roleName, out var r) ? View(r) : null);
    }

    public Task<IamRole> CreateRoleAsync(IamRoleSpec spec, CancellationToken ct)
    {
        Mutating("CreateRole", spec.RoleName);
        if (_roles.ContainsKey(spec.RoleName)) throw Refused("CreateRole", "EntityAlreadyExists", $"Role with name {spec.RoleName} already exists.", HttpStatusCode.Conflict);
        CheckDocument("CreateRole", spec.AssumeRolePolicyDocument);
        var role = new Role(spec.RoleName, NewId("AROA"), spec.Path ?? "/", spec.AssumeRolePolicyDocument.Trim(), new(spec.Tags, StringComparer.Ordinal));
        _roles[spec.RoleName] = role;
        return Task.FromResult(View(role));
    }

    public Task TagRoleAsync(string roleName, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("TagRole", roleName);
        var role = RoleNamed("TagRole", roleName);
        foreach (var (k, v) in tags) role.Tags[k] = v;
        return Task.CompletedTask;
    }

    public Task DeleteRoleAsync(string roleName, CancellationToken ct)
    {
        Mutating("DeleteRole", roleName);
        var role = RoleNamed("DeleteRole", roleName);
        if (role.Policies.Count > 0) throw Refused("DeleteRole", "DeleteConflict", "Cannot delete entity, must delete policies first.", HttpStatusCode.Conflict);
        if (_profiles.Values.Any(p => p.Roles.Contains(role.Name)))
            throw Refused("DeleteRole", "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.", HttpStatusCode.Conflict);
        _roles.Remove(roleName);
        return Task.CompletedTask;
    }

    public Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken ct)
    {
        Mutating("PutRolePolicy", $"{roleName} {policyName}");
        var role = RoleNamed("PutRolePolicy", roleName);
        CheckDocument("PutRolePolicy", policyDocument);
        role.Policies[policyName] = policyDocument.Trim();
        return Task.CompletedTask;
    }

    public Task<string?> GetRolePolicyAsync(string roleName, string policyName, CancellationToken ct)
    {
        Reading();
        var role = RoleNamed("GetRolePolicy", roleName);
        return Task.FromResult(role.Policies.GetValueOrDefault(policyName));
    }

    public Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken ct)
    {
        Mutating("DeleteRolePolicy", $"{roleName} {policyName}");
        var role = RoleNamed("DeleteRolePolicy", roleName);
        if (!role.Policies.Remove(policyName)) throw NoSuchEntity("DeleteRolePolicy", $"The role policy with name {policyName} cannot be found.");
        return Task.CompletedTask;
    }

    public Task<IamInstanceProfile?> GetInstanceProfileAsync(string name, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(_profiles.TryGetValue(name, out var p) ? View(p) : null);
    }

    public Task<IamInstanceProfile> CreateInstanceProfileAsync(string name, string? path, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateInstanceProfile", name);
        if (_profiles.ContainsKey(name)) throw Refused("CreateInstanceProfile", "EntityAlreadyExists", $"Instance Profile {name} already exists.", HttpStatusCode.Conflict);
        var profile = new Profile(name, NewId("AIPA"), path ?? "/", new(tags, StringComparer.Ordinal));
        _profiles[name] = profile;
        return Task.FromResult(View(profile));
    }

    public Task AddRoleToInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken ct)
    {
        Mutating("AddRoleToInstanceProfile", $"{instanceProfileName} {roleName}");
        var profile = ProfileNamed("AddRoleToInstanceProfile", instanceProfileName);
        var role = RoleNamed("AddRoleToInstanceProfile", roleName);
        if (profile.Roles.Count > 0)
            throw Refused("AddRoleToInstanceProfile", "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1", HttpStatusCode.Conflict);
        profile.Roles.Add(role.Name);
        return Task.CompletedTask;
    }

    public Task RemoveRoleFromInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken ct)
    {
        Mutating("RemoveRoleFromInstanceProfile", $"{instanceProfileName} {roleName}");
        var profile = ProfileNamed("RemoveRoleFromInstanceProfile", instanceProfileName);
        if (!profile.Roles.Remove(roleName)) throw NoSuchEntity("RemoveRoleFromInstanceProfile", $"The role {roleName} is not in instance profile {instanceProfileName}.");
        return Task.CompletedTask;
    }

    public Task DeleteInstanceProfileAsync(string name, CancellationToken ct)
    {
        Mutating("DeleteInstanceProfile", name);
        var profile = ProfileNamed("DeleteInstanceProfile", name);
        if (profile.Roles.Count > 0) throw Refused("DeleteInstanceProfile", "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.", HttpStatusCode.Conflict);
        _profiles.Remove(name);
        return Task.CompletedTask;
    }

    private string NewId(string prefix) => $"{prefix}{++_nextId:D17}";

    private Role RoleNamed(string call, string name) =>
        _roles.TryGetValue(name, out var r) ? r : throw NoSuchEntity(call, $"The role with name {name} cannot be found.");

    private Profile ProfileNamed(string call, string name) =>
        _profiles.TryGetValue(name, out var p) ? p : throw NoSuchEntity(call, $"Instance Profile {name} cannot be found.");

    private static void CheckDocument(string call, string json)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            throw Refused(call, "MalformedPolicyDocument", "Syntax errors in policy.", HttpStatusCode.BadRequest);
        }
    }

    private static AwsApiException NoSuchEntity(string call, string message) => Refused(call, "NoSuchEntity", message, HttpStatusCode.NotFound);

    private static AwsApiException Refused(string call, string code, string message, HttpStatusCode status) =>
        new(ErrorCodes.AwsApiRefused, $"IAM {call}", code, message, status, "fake-request", 1,
            $"IAM {call} was refused by AWS: {code}: {message} (HTTP {(int)status}).");

    private IamRole View(Role r) => new(r.Name, r.Id, $"arn:aws:iam::{accountId}:role{r.Path}{r.Name}", r.Path, r.Trust, null,
        new SortedDictionary<string, string>(r.Tags, StringComparer.Ordinal));

    private IamInstanceProfile View(Profile p) => new(p.Name, p.Id, $"arn:aws:iam::{accountId}:instance-profile{p.Path}{p.Name}", p.Path, null,
        p.Roles.Select(n => View(_roles[n])).ToList(), new SortedDictionary<string, string>(p.Tags, StringComparer.Ordinal));

    protected override Exception InjectedFailure(string call, string code) => Refused(call, code, "injected failure", HttpStatusCode.InternalServerError);
}
