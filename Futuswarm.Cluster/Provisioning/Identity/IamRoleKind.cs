using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Identity;

/// <summary>A node role as observed: the role and the text of its node policy (null when it has none).</summary>
public sealed record ObservedRole(ResourceAddress Address, IamRole Role, string? Policy);

/// <summary>
/// The managers' and workers' roles (<c>iam-role[manager|worker]</c>): EC2 may assume them, they carry the cluster's
/// tags and exactly the <see cref="ClusterPolicies"/> document as their inline policy. IAM cannot be searched by tag,
/// so the roles are found by their derived names (unique per account: the name contains the cluster's). The policy is
/// compared by meaning (<see cref="PolicyDocument"/>): reordered is not drift, widened is, and is put back whole.
/// A changed trust policy replaces the role (IIamApi has no UpdateAssumeRolePolicy); the profile kind then re-adds it.
/// </summary>
public sealed class IamRoleKind(IIamApi iam, IdentitySpec spec) : ResourceKind<ObservedRole>
{
    public const string KindName = "iam-role";
    private const string PolicyField = "policy";
    private const string TrustField = "trust";

    public override string Kind => KindName;

    public static ResourceAddress Address(string role) => new(KindName, role);

    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => IdentitySpec.NodeRoles.Select(Address);

    protected override async Task<IReadOnlyList<ObservedRole>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var found = new List<ObservedRole>();
        foreach (var address in Desired(ctx))
        {
            var name = spec.RoleName(address);
            var role = await IamCalls.Run("GetRole", () => iam.GetRoleAsync(name, ct));
            if (role is null) continue;
            var policy = await IamCalls.Run("GetRolePolicy", () => iam.GetRolePolicyAsync(name, ClusterPolicies.PolicyName, ct));
            found.Add(new ObservedRole(address, role, policy));
        }
        return found;
    }

    protected override string IdOf(ObservedRole observed) => observed.Role.RoleName;

    // Found by name, so addressed by name: a role whose tags were edited is still this role (and its tags drift).
    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedRole observed) =>
        new Dictionary<string, string> { [ClusterTags.Role] = observed.Address.Role };

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedRole? observed, ProvisionContext ctx)
    {
        var want = PolicyDocument.Lines(ClusterPolicies.For(address, spec));
        if (observed is null)
            return [new Change(address, ChangeAction.Create, "not found", [
                FieldChange.Set("name", spec.RoleName(address)),
                FieldChange.Set(TrustField, ClusterPolicies.Ec2Service),
                .. want.Select(l => FieldChange.Add(PolicyField, l)),
            ])];

        if (!PolicyDocument.SameMeaning(observed.Role.AssumeRolePolicyDocument, ClusterPolicies.AssumeRole()))
            return [new Change(address, ChangeAction.Replace, "trust policy changed", [
                new FieldChange(TrustField, string.Join("; ", PolicyDocument.Lines(observed.Role.AssumeRolePolicyDocument)),
                    string.Join("; ", PolicyDocument.Lines(ClusterPolicies.AssumeRole()))),
                .. want.Select(l => FieldChange.Add(PolicyField, l)),
            ])];

        var fields = new List<FieldChange>();
        if (!PolicyDocument.SameMeaning(observed.Policy, ClusterPolicies.For(address, spec)))
        {
            var have = PolicyDocument.Lines(observed.Policy);
            fields.AddRange(have.Where(l => !want.Contains(l)).Select(l => FieldChange.Remove(PolicyField, l)));
            fields.AddRange(want.Where(l => !have.Contains(l)).Select(l => FieldChange.Add(PolicyField, l)));
            // Same statements, other document (e.g. another Version): still put back.
            if (fields.Count == 0) fields.Add(new FieldChange(PolicyField, "differs", "as defined"));
        }
        fields.AddRange(TagDiff.Fields(ctx.TagsFor(address), observed.Role.Tags));
        return fields.Count == 0 ? [] : [new Change(address, ChangeAction.Update, "drifted", fields)];
    }

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var policy = PolicyFor(change.Address);
        var name = spec.RoleName(change.Address);
        var role = await IamCalls.Run("CreateRole", () => iam.CreateRoleAsync(new IamRoleSpec(
            name, ClusterPolicies.AssumeRole(), ctx.TagsFor(change.Address),
            Description: $"futuswarm cluster {ctx.Cluster}: {change.Address.Name} nodes"), ct));
        ctx.Created(change.Address, role.RoleName, role.Arn);
        await IamCalls.RunFresh("PutRolePolicy", () => iam.PutRolePolicyAsync(name, ClusterPolicies.PolicyName, policy, ct), ctx, ct);
        return role.RoleName;
    }

    protected override async Task UpdateAsync(Change change, ObservedRole observed, ProvisionContext ctx, CancellationToken ct)
    {
        var name = observed.Role.RoleName;
        if (change.Fields.Any(f => f.Field == PolicyField))
        {
            var policy = PolicyFor(change.Address);
            await IamCalls.Run("PutRolePolicy", () => iam.PutRolePolicyAsync(name, ClusterPolicies.PolicyName, policy, ct));
        }
        if (TagDiff.Any(change))
            await IamCalls.Run("TagRole", () => iam.TagRoleAsync(name, ctx.TagsFor(change.Address), ct));
    }

    /// <summary>IAM deletes a role only once it has no inline policy and is in no instance profile.</summary>
    protected override async Task DeleteAsync(ObservedRole observed, ProvisionContext ctx, CancellationToken ct)
    {
        var name = observed.Role.RoleName;
        if (observed.Policy is not null)
            await IamCalls.Run("DeleteRolePolicy", () => iam.DeleteRolePolicyAsync(name, ClusterPolicies.PolicyName, ct));
        var profileName = spec.InstanceProfileName(observed.Address);
        var profile = await IamCalls.Run("GetInstanceProfile", () => iam.GetInstanceProfileAsync(profileName, ct));
        if (profile is not null && profile.Roles.Any(r => r.RoleName == name))
            await IamCalls.Run("RemoveRoleFromInstanceProfile", () => iam.RemoveRoleFromInstanceProfileAsync(profileName, name, ct));
        await IamCalls.Run("DeleteRole", () => iam.DeleteRoleAsync(name, ct));
    }

    private string PolicyFor(ResourceAddress address) =>
        spec.KmsKeyArn is null && IdentitySpec.IsManager(address)
            ? throw new InvalidOperationException($"{address}: the cluster's KMS key must exist (and its ARN be given) before the managers' policy is written")
            : ClusterPolicies.For(address, spec);
}
