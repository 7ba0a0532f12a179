using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>Lists the service's secrets: name, version, when and by whom set, versions kept. Never values or the fingerprint key.</summary>
public sealed class SwarmSecretList : ManagerTask
{
    /// <summary>The SwarmSecret items, to point out declared names the cluster does not have yet.</summary>
    public ITaskItem[] Secrets { get; set; } = [];

    [Output] public string[] Names { get; private set; } = [];

    protected override async Task ExecuteAsync()
    {
        using var cluster = await ListSecretsAsync(unknownServiceIsEmpty: false);
        if (cluster is null) return;
        var secrets = cluster.ByName.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        Names = secrets.Select(s => s.Name).ToArray();
        if (secrets.Count == 0) Log.LogMessage(MessageImportance.High, $"{ServiceName}: no secrets");
        foreach (var s in secrets)
            Log.LogMessage(MessageImportance.High,
                $"{ServiceName}: {s.Name}  version {s.Version}  set {s.SetAt:u} by {s.SetBy}  ({s.Versions} version{(s.Versions == 1 ? "" : "s")} kept)");
        foreach (var name in Secrets.Select(i => i.ItemSpec).Where(n => !cluster.ByName.ContainsKey(n)).Distinct(StringComparer.Ordinal))
            Log.LogMessage(MessageImportance.High, $"{ServiceName}: {name}  declared in the project, not on the cluster yet (the next SwarmDeploy or SwarmSecretSet sends it)");
    }
}
