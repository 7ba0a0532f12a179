using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.Provisioning.Definition;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>
/// Seeds acl.json with the definition's first admins, once: when the cluster's ACL has no users yet. After that the
/// ACL is managed through the API (DESIGN.md section 8), so editing the definition never overrides who is admin.
/// </summary>
public static class FirstAdmins
{
    /// <summary>True when the ACL was written; false when it already had users (nothing changed).</summary>
    public static async Task<bool> SeedAsync(ClusterStore cluster, ClusterDefinition definition, CancellationToken ct)
    {
        var repo = new AclRepository(cluster.Store);
        var acl = await repo.LoadAsync(ct);
        if (acl.Users.Count > 0) return false;
        foreach (var admin in definition.FirstAdmins)
            acl.Users.Add(new AclUser { Name = admin.Name, Admin = true, Keys = [.. admin.Keys] });
        await repo.SaveAsync(acl, ct);
        return true;
    }
}
