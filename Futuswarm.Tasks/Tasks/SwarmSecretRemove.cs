using Futuswarm.Protocol;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>Takes secrets out of the service's next release (the store keeps earlier versions for rollbacks).</summary>
public sealed class SwarmSecretRemove : ChangeTask
{
    /// <summary>SwarmSecretName: "A", "A,B" or "A;B".</summary>
    public string[] SecretNames { get; set; } = [];
    /// <summary>The SwarmSecret items: a removed name still declared comes back with the next deploy.</summary>
    public ITaskItem[] Secrets { get; set; } = [];

    protected override async Task ExecuteAsync()
    {
        var names = Names(SecretNames);
        if (names.Count == 0)
            throw new FswException(ErrorCodes.ParameterMissing, "SwarmSecretName is required: name the secret to remove, e.g. -p:SwarmSecretName=Stripe__ApiKey (several: -p:SwarmSecretName=A%3BB).");
        foreach (var name in names)
            if (Validation.CheckSecretName(name) is { } error)
                throw new FswException(ErrorCodes.InvalidSecretName, $"SwarmSecretName is not valid: {error}.");

        var result = await SendAsync(Wire.Verbs.SecretRemove,
            new RemoveRequest { Protocol = Wire.ProtocolVersion, Service = ServiceName, Names = names, TimeoutSeconds = TimeoutSeconds });
        if (result is null) return;
        Report(result, Plural("secret", names) + " removed", Plural("secret", names));
        foreach (var name in Secrets.Select(i => i.ItemSpec).Intersect(names, StringComparer.Ordinal))
            Log.LogWarning($"{ServiceName}: {name} is still a SwarmSecret of the project, so the next SwarmDeploy sets it again. Remove the item too.");
    }
}
