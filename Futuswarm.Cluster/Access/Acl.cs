namespace Futuswarm.Cluster.Access;

/// <summary>acl.json: the only source of users, their keys, admins and service owners (DESIGN.md section 8).</summary>
public sealed record AclDocument
{
    public List<AclUser> Users { get; init; } = [];
    public SortedDictionary<string, ServiceAcl> Services { get; init; } = new(StringComparer.Ordinal);
}

public sealed record AclUser
{
    public required string Name { get; init; }
    public bool Admin { get; init; }
    /// <summary>OpenSSH public keys ("type base64 [comment]").</summary>
    public List<string> Keys { get; init; } = [];
}

public sealed record ServiceAcl
{
    public List<string> Owners { get; init; } = [];
}
