using System.Security.Cryptography;
using System.Text;

namespace Futuswarm.Cluster.Swarm;

/// <summary>
/// Docker secrets are immutable, so there is one per (service, name, version), named within Swarm's 64-character
/// limit: the service (at most 40) and a hash of where the value belongs, never of the value itself.
/// </summary>
public static class DockerSecretName
{
    public const int MaxLength = 64;

    public static string Of(string cluster, string service, string name, string version)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{cluster}\n{service}\n{name}\n{version}"));
        return $"{service}.{Convert.ToHexStringLower(hash)[..20]}";
    }
}
