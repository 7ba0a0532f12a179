using System.Text.Json;
using Futuswarm.Cluster.Access;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Relay;

/// <summary>
/// sshd's AuthorizedKeysCommand (%u %t %k): prints the offered key, restricted, when acl.json lists it
/// and the login is the API user. Reads acl.json only; no file of keys is ever written.
/// </summary>
public static class AuthorizedKeys
{
    public static int Run(string aclPath, string apiUser, string user, string type, string blob)
    {
        if (user != apiUser) return 0;
        AclDocument? acl;
        try { acl = JsonSerializer.Deserialize<AclDocument>(File.ReadAllBytes(aclPath), Wire.LenientJson); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"futuswarm authorized-keys: cannot read {aclPath}: {e.Message}");
            return 1;
        }
        var offered = $"{type} {blob}";
        if (acl is not null && AclRepository.FindByKey(acl, offered) is not null)
            Console.Out.WriteLine($"restrict {offered}");
        return 0;
    }
}
