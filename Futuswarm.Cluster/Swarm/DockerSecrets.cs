using System.Security.Cryptography;
using Docker.DotNet.Models;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Swarm;

/// <summary>
/// Makes the Docker secrets a release pins (decrypting each version from the store once, when it is first used)
/// and removes those no kept release uses. Files appear in tasks at /run/secrets/&lt;name&gt;.
/// </summary>
public sealed class DockerSecrets(SwarmGateway swarm, SecretVault vault, string cluster)
{
    /// <summary>0444: root owns the file, the app's non-root user reads it.</summary>
    private const uint FileMode = 0x124;

    public async Task<IReadOnlyList<SecretReference>> EnsureAsync(string service, IReadOnlyDictionary<string, string> versions, CancellationToken ct)
    {
        if (versions.Count == 0) return [];
        var existing = (await swarm.ManagedSecretsAsync(ct)).ToDictionary(s => s.Spec.Name, s => s.ID, StringComparer.Ordinal);
        var refs = new List<SecretReference>();
        foreach (var (name, version) in versions.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var dockerName = DockerSecretName.Of(cluster, service, name, version);
            if (!existing.TryGetValue(dockerName, out var id))
            {
                var value = await vault.OpenAsync(service, name, version, ct)
                    ?? throw new FswException(ErrorCodes.StateCorrupt,
                        $"Version {version} of secret {name} of {service} is missing from the store. Set the secret again (SwarmSecretSet), or restore the record from the store's history.");
                try
                {
                    id = (await swarm.CreateSecretAsync(dockerName, value, new Dictionary<string, string>
                    {
                        [Labels.Managed] = "true", [Labels.Service] = service, [Labels.Secret] = name, [Labels.SecretVersion] = version,
                    }, ct)).ID;
                }
                finally { CryptographicOperations.ZeroMemory(value); }
            }
            refs.Add(new SecretReference
            {
                SecretID = id, SecretName = dockerName,
                File = new SecretReferenceFileTarget { Name = name, UID = "0", GID = "0", Mode = FileMode },
            });
        }
        return refs;
    }

    /// <summary>Removes this service's Docker secrets that none of <paramref name="keep"/> pins; returns how many went.</summary>
    public async Task<int> CollectAsync(string service, IEnumerable<IReadOnlyDictionary<string, string>> keep, CancellationToken ct)
    {
        var kept = keep.SelectMany(v => v.Select(kv => DockerSecretName.Of(cluster, service, kv.Key, kv.Value))).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var s in await swarm.ManagedSecretsAsync(ct))
        {
            if (s.Spec.Labels.TryGetValue(Labels.Service, out var owner) && owner == service && !kept.Contains(s.Spec.Name)
                && await swarm.DeleteSecretAsync(s.ID, ct))
                removed++;
        }
        return removed;
    }
}
