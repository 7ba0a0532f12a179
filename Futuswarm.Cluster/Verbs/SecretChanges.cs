using System.Security.Cryptography;
using Futuswarm.Cluster.Daemon;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>
/// Turns the secrets of a request into the next config: every input is checked before anything is stored; a value
/// equal to the current version (same fingerprint) makes no new version, so versions change only with values.
/// </summary>
public sealed class SecretChanges(SecretVault vault)
{
    /// <summary>Checks names, values and duplicates (FSW2014, FSW2015). Nothing is stored.</summary>
    public static void Validate(IReadOnlyList<SecretInput> inputs, bool valuesRequired)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in inputs)
        {
            if (Validation.CheckSecretName(s.Name) is { } name)
                throw new FswException(ErrorCodes.InvalidSecretName, $"Secret name is not valid: {name}.");
            if (!seen.Add(s.Name))
                throw new FswException(ErrorCodes.InvalidSecretName, $"Secret '{s.Name}' is given twice; give each secret once.");
            if (s.Value is { } v && Validation.CheckSecretValue(s.Name, v.Length) is { } value)
                throw new FswException(ErrorCodes.InvalidSecretValue, $"Secret is not valid: {value}.");
            if (valuesRequired && s.Value is null)
                throw new FswException(ErrorCodes.InvalidSecretValue, $"Secret '{s.Name}' has no value; give one.");
        }
    }

    /// <summary>The config with the inputs applied; new versions are sealed and stored (unpinned until a release or save uses them).</summary>
    public async Task<ServiceConfiguration> ApplyAsync(Identity who, string service, ServiceConfiguration current, IReadOnlyList<SecretInput> inputs, CancellationToken ct)
    {
        if (inputs.Count == 0) return current;
        // Checks first, so a refused input leaves nothing stored behind.
        foreach (var s in inputs.Where(s => s.Value is null))
        {
            current.Secrets.TryGetValue(s.Name, out var pin);
            if (s.Fingerprint is { } fp && pin?.Fingerprint != fp)
                throw new FswException(ErrorCodes.ConcurrentChange,
                    $"Secret '{s.Name}' of {service} changed on the cluster while this deploy ran. Deploy again.");
            if (pin is null)
                throw new FswException(ErrorCodes.SecretNotFound,
                    $"Secret '{s.Name}' of {service} has no value on the cluster and none was sent. Give its source (FromEnvironment or FromFile) a value, or set it with SwarmSecretSet.");
        }
        var key = await vault.FingerprintKeyAsync(service, ct);
        try
        {
            var secrets = new SortedDictionary<string, SecretPin>(current.Secrets, StringComparer.Ordinal);
            foreach (var s in inputs.Where(s => s.Value is not null))
            {
                var fingerprint = SecretFingerprint.Compute(key, s.Value);
                if (secrets.TryGetValue(s.Name, out var pin) && pin.Fingerprint == fingerprint) continue;
                var version = await vault.AddVersionAsync(service, s.Name, s.Value, ct);
                secrets[s.Name] = new SecretPin { Version = version, SetAt = DateTimeOffset.UtcNow, SetBy = who.User, Fingerprint = fingerprint };
            }
            return current with { Secrets = secrets };
        }
        finally { CryptographicOperations.ZeroMemory(key); }
    }

    /// <summary>Request values are not needed after they are sealed.</summary>
    public static void Forget(IEnumerable<SecretInput> inputs)
    {
        foreach (var s in inputs) if (s.Value is { } v) CryptographicOperations.ZeroMemory(v);
    }
}
