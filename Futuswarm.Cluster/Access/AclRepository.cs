using Futuswarm.Cluster.State;

namespace Futuswarm.Cluster.Access;

public sealed class AclRepository(IStateStore store)
{
    public const string Key = "acl.json";

    public async Task<AclDocument> LoadAsync(CancellationToken ct) => await store.ReadAsync<AclDocument>(Key, ct) ?? new AclDocument();

    public Task SaveAsync(AclDocument acl, CancellationToken ct) => store.WriteAsync(Key, acl, ct);

    public static AclUser? FindByKey(AclDocument acl, string key) =>
        acl.Users.FirstOrDefault(u => u.Keys.Any(k => SshKeys.SameKey(k, key)));
}
