using Futuswarm.Protocol;

namespace Futuswarm.Tasks.Secrets;

/// <summary>
/// What a deploy sends for the declared secrets: a value only where it differs from the cluster's current one,
/// the fingerprint where it is equal (the manager checks nobody changed it meanwhile), and the bare name where
/// this machine has no source (the cluster's version is kept).
/// </summary>
public sealed record SecretPlan(List<SecretInput> Inputs, List<string> Changed, List<string> Unchanged, List<(SecretDeclaration Declared, SecretInfo Current)> Kept)
{
    public static SecretPlan Make(IReadOnlyList<SecretDeclaration> declared, SecretValues values, ClusterSecrets cluster)
    {
        var plan = new SecretPlan([], [], [], []);
        var missing = new List<SecretDeclaration>();
        foreach (var d in declared)
        {
            cluster.ByName.TryGetValue(d.Name, out var current);
            if (values.TryGet(d.Name, out var value))
            {
                var fingerprint = cluster.FingerprintOf(value);
                if (current is not null && fingerprint is not null && string.Equals(fingerprint, current.Fingerprint, StringComparison.Ordinal))
                {
                    plan.Inputs.Add(new SecretInput { Name = d.Name, Fingerprint = fingerprint });
                    plan.Unchanged.Add(d.Name);
                }
                else
                {
                    plan.Inputs.Add(new SecretInput { Name = d.Name, Value = value });
                    plan.Changed.Add(d.Name);
                }
            }
            else if (current is not null)
            {
                plan.Inputs.Add(new SecretInput { Name = d.Name });
                plan.Kept.Add((d, current));
            }
            else missing.Add(d);
        }

        if (missing.Count > 0)
            throw new FswException(ErrorCodes.SecretSourceMissing,
                $"{(missing.Count == 1 ? "A declared secret has" : "Declared secrets have")} no value on this machine and none on the cluster yet, so nothing was deployed. "
                + (cluster.ServiceExists
                    ? "Set the variable or create the file, or set the secret once with -t:SwarmSecretSet (e.g. -p:SwarmSecretName=NAME -p:SwarmSecretFromEnvironment=VARIABLE)."
                    : "This is the service's first deploy, which must carry every declared secret: set the variable or create the file."),
                missing.Select(d => $"SwarmSecret {d.Name}: {d.SourceMissing}").ToList());
        return plan;
    }
}
