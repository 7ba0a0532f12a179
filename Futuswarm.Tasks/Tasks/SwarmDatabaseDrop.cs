using Futuswarm.Protocol;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>
/// Drops the service's database, its roles and stored credentials: only with SwarmConfirm repeating the service's
/// name, checked here before anything is sent and again by the manager. Never implied by removing SwarmDatabase.
/// </summary>
public sealed class SwarmDatabaseDrop : ManagerTask
{
    /// <summary>SwarmConfirm: must equal the service's name.</summary>
    public string Confirm { get; set; } = "";

    [Output] public string Outcome { get; private set; } = "";

    protected override async Task ExecuteAsync()
    {
        var confirm = Confirm.Trim();
        if (!string.Equals(confirm, ServiceName, StringComparison.Ordinal))
            throw new FswException(ErrorCodes.ConfirmationRequired,
                (confirm.Length == 0 ? "SwarmDatabaseDrop deletes the database and all its data, so it needs confirming" : $"SwarmConfirm '{confirm}' is not this service's name")
                + $". Nothing was dropped. Repeat the service's name: -p:SwarmConfirm={ServiceName}.");

        var result = await SendAsync(Wire.Verbs.DatabaseDrop, new DatabaseDropRequest { Protocol = Wire.ProtocolVersion, Service = ServiceName, Confirm = confirm });
        if (result is null) return;
        Outcome = result.Outcome ?? "";
        if (Outcome != Wire.Outcomes.Dropped)
        {
            LogUnknownOutcome(Outcome);
            return;
        }
        Log.LogMessage(MessageImportance.High,
            $"{ServiceName}: database dropped{(string.IsNullOrWhiteSpace(result.Message) ? "" : $" ({result.Message.Trim()})")}; a later deploy with SwarmDatabase creates a new, empty one");
    }

    protected override void OnCanceled() =>
        Log.LogWarning(subcategory: null, warningCode: ErrorCodes.NoResult, helpKeyword: null, file: null, 0, 0, 0, 0,
            $"{ServiceName}: stopped waiting. The manager may still finish dropping the database; check with -t:SwarmDatabaseInfo.");
}
