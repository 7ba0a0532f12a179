using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Access;

/// <summary>
/// Maps the authenticating key to a user and decides who may act on a service: its owners and admins.
/// The first deployer of a free name owns it; a name with state but no owners is admin-only (DESIGN.md section 8).
/// </summary>
public sealed class Authorizer(AclRepository acl, ReleaseRepository releases, ServiceLocks locks)
{
    public async Task<Identity> IdentifyAsync(string key, CancellationToken ct)
    {
        var user = AclRepository.FindByKey(await acl.LoadAsync(ct), key)
            ?? throw new FswException(ErrorCodes.UnknownIdentity, $"The key {SshKeys.Fingerprint(key)} belongs to no user of this cluster. Ask an admin to add it.");
        return new Identity(user.Name, user.Admin, SshKeys.Fingerprint(key));
    }

    /// <summary>Checks the caller may change the service; with <paramref name="claim"/>, a free name becomes theirs.</summary>
    public async Task AuthorizeAsync(Identity who, string service, bool claim, CancellationToken ct)
    {
        await locks.Acl.WaitAsync(ct);
        try
        {
            var doc = await acl.LoadAsync(ct);
            if (doc.Services.TryGetValue(service, out var s) && s.Owners.Count > 0)
            {
                if (who.Admin || s.Owners.Contains(who.User, StringComparer.Ordinal)) return;
                throw new FswException(ErrorCodes.NotOwner,
                    $"Service '{service}' belongs to {string.Join(", ", s.Owners)}; user '{who.User}' may not change it. Ask an owner or an admin to add you, or pick another SwarmServiceName.");
            }
            var hasState = (await releases.NumbersAsync(service, ct)).Count > 0;
            if (hasState)
            {
                if (who.Admin) return;
                throw new FswException(ErrorCodes.NotOwner, $"Service '{service}' has no owners; only an admin may change it. Pick another SwarmServiceName or ask an admin.");
            }
            if (!claim)
            {
                if (who.Admin) return;
                throw new FswException(ErrorCodes.ServiceNotFound, $"There is no service '{service}' on this cluster. Check SwarmServiceName, or deploy it first.");
            }
            doc.Services[service] = new ServiceAcl { Owners = [who.User] };
            await acl.SaveAsync(doc, ct);
        }
        finally { locks.Acl.Release(); }
    }
}
