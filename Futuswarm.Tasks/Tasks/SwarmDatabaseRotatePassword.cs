using Futuswarm.Protocol;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>
/// Switches the service to its other login role with a new password, through a normal rollout; the previous
/// password stops working once no task uses it. The new password never leaves the cluster.
/// </summary>
public sealed class SwarmDatabaseRotatePassword : ChangeTask
{
    protected override async Task ExecuteAsync()
    {
        var request = new DatabaseRotateRequest { Protocol = Wire.ProtocolVersion, Service = ServiceName, TimeoutSeconds = TimeoutSeconds };
        var result = await SendAsync(Wire.Verbs.DatabaseRotate, request);
        if (result is null) return;
        if (result.Outcome != Wire.Outcomes.Deployed)
        {
            // stored/unchanged read as for the other changes; anything else is a protocol error.
            Report(result, "database password rotated", "database login");
            return;
        }
        TakeResult(result);
        // The manager's message names the login role now in use, when it gives one.
        var detail = string.IsNullOrWhiteSpace(result.Message) ? "" : $" ({result.Message.Trim()})";
        Log.LogMessage(MessageImportance.High,
            $"{ServiceName}: database password rotated; release {Release} deployed{(Url.Length > 0 ? ", answering at " + Url : "")}{detail}");
    }
}
