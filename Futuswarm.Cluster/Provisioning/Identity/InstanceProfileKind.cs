using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Identity;

/// <summary>An instance profile as observed under its address.</summary>
public sealed record ObservedProfile(ResourceAddress Address, IamInstanceProfile Profile);

/// <summary>
/// The managers' and workers' instance profiles (<c>instance-profile[manager|worker]</c>), named like their roles and
/// holding exactly that role: a removed role is added back, another role in its place is taken out first (EC2 allows
/// one role per profile). Tags are set at creation; IIamApi has no TagInstanceProfile, so they are not diffed.
/// Destroy takes the role out, then deletes the profile.
/// </summary>
public sealed class InstanceProfileKind(IIamApi iam, IdentitySpec spec) : ResourceKind<ObservedProfile>
{
    public const string KindName = "instance-profile";
    private const string RoleField = "role";

    public override string Kind => KindName;

    public static ResourceAddress Address(string role) => new(KindName, role);

    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => IdentitySpec.NodeRoles.Select(Address);

    protected override async Task<IReadOnlyList<ObservedProfile>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var found = new List<ObservedProfile>();
        foreach (var address in Desired(ctx))
        {
            var profile = await IamCalls.Run("GetInstanceProfile", () => iam.GetInstanceProfileAsync(spec.InstanceProfileName(address), ct));
            if (profile is not null) found.Add(new ObservedProfile(address, profile));
        }
        return found;
    }

    protected override string IdOf(ObservedProfile observed) => observed.Profile.InstanceProfileName;

    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedProfile observed) =>
        new Dictionary<string, string> { [ClusterTags.Role] = observed.Address.Role };

    private string RoleOf(ResourceAddress address) => spec.RoleName(IamRoleKind.Address(address.Name!));

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedProfile? observed, ProvisionContext ctx)
    {
        var role = RoleOf(address);
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("name", spec.InstanceProfileName(address)),
                FieldChange.Add(RoleField, role),
            ])];
        var have = observed.Profile.Roles.Select(r => r.RoleName).ToList();
        var fields = have.Where(r => r != role).Order(StringComparer.Ordinal).Select(r => FieldChange.Remove(RoleField, r)).ToList();
        if (!have.Contains(role)) fields.Add(FieldChange.Add(RoleField, role));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var name = spec.InstanceProfileName(change.Address);
        var profile = await IamCalls.Run("CreateInstanceProfile",
            () => iam.CreateInstanceProfileAsync(name, null, ctx.TagsFor(change.Address), ct));
        ctx.Created(change.Address, profile.InstanceProfileName, profile.Arn);
        var role = RoleOf(change.Address);
        await IamCalls.RunFresh("AddRoleToInstanceProfile", () => iam.AddRoleToInstanceProfileAsync(name, role, ct), ctx, ct);
        return profile.InstanceProfileName;
    }

    protected override async Task UpdateAsync(Change change, ObservedProfile observed, ProvisionContext ctx, CancellationToken ct)
    {
        var name = observed.Profile.InstanceProfileName;
        foreach (var field in change.Fields.Where(f => f.Field == RoleField && f.To is null))
            await IamCalls.Run("RemoveRoleFromInstanceProfile", () => iam.RemoveRoleFromInstanceProfileAsync(name, field.From!, ct));
        foreach (var field in change.Fields.Where(f => f.Field == RoleField && f.From is null))
            await IamCalls.RunFresh("AddRoleToInstanceProfile", () => iam.AddRoleToInstanceProfileAsync(name, field.To!, ct), ctx, ct);
    }

    protected override async Task DeleteAsync(ObservedProfile observed, ProvisionContext ctx, CancellationToken ct)
    {
        var name = observed.Profile.InstanceProfileName;
        foreach (var role in observed.Profile.Roles)
            await IamCalls.Run("RemoveRoleFromInstanceProfile", () => iam.RemoveRoleFromInstanceProfileAsync(name, role.RoleName, ct));
        await IamCalls.Run("DeleteInstanceProfile", () => iam.DeleteInstanceProfileAsync(name, ct));
    }
}
