using Futuswarm.Protocol;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>Lists the service's configuration: cluster-set values and the project's, marking project values a cluster value hides.</summary>
public sealed class SwarmConfigList : ManagerTask
{
    protected override async Task ExecuteAsync()
    {
        var result = await SendAsync(Wire.Verbs.ConfigList, new ServiceRequest { Protocol = Wire.ProtocolVersion, Service = ServiceName });
        if (result is null) return;
        if (result.Outcome != Wire.Outcomes.Listed)
        {
            LogUnknownOutcome(result.Outcome);
            return;
        }
        var config = (result.Config ?? []).OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Source == "cluster" ? 0 : 1).ToList();
        if (config.Count == 0) Log.LogMessage(MessageImportance.High, $"{ServiceName}: no configuration values");
        foreach (var c in config)
            Log.LogMessage(MessageImportance.High, $"{ServiceName}: {c.Name}={c.Value}  ({Describe(c)})");
    }

    private static string Describe(ConfigInfo c) => (c.Source, c.Effective) switch
    {
        ("cluster", _) => "set on the cluster; overrides the project until SwarmConfigUnset",
        (_, true) => "from the project",
        (_, false) => "from the project, hidden by the cluster value",
    };
}
