using System.Globalization;
using Futuswarm.Protocol;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>
/// A task that changes a service (deploy, secrets, configuration): the manager saves the change and, when the
/// service runs, rolls out a release within the deploy timeout. The outcome is one line in the log.
/// </summary>
public abstract class ChangeTask : ManagerTask
{
    public string DeployTimeout { get; set; } = "300";

    [Output] public string Outcome { get; private set; } = "";
    [Output] public string Url { get; private set; } = "";
    [Output] public string Release { get; private set; } = "";

    protected int TimeoutSeconds => ParseInt(DeployTimeout, "SwarmDeployTimeout", ErrorCodes.InvalidDeployTimeout, "it must be a number of seconds");

    protected void TakeResult(ResponseLine result)
    {
        Outcome = result.Outcome ?? "";
        Url = result.Url ?? "";
        Release = result.Release?.ToString(CultureInfo.InvariantCulture) ?? "";
    }

    /// <param name="change">what was done, e.g. "secret Stripe__ApiKey set"</param>
    /// <param name="subject">what it was done to, e.g. "secret Stripe__ApiKey"</param>
    protected void Report(ResponseLine result, string change, string subject)
    {
        TakeResult(result);
        var text = Outcome switch
        {
            Wire.Outcomes.Deployed => $"{ServiceName}: {change}; release {Release} deployed{(Url.Length > 0 ? ", answering at " + Url : "")}",
            Wire.Outcomes.Stored => $"{ServiceName}: {change} (stored); the service is not running, so its next deploy uses it",
            Wire.Outcomes.Unchanged => $"{ServiceName}: {subject} unchanged; nothing to do",
            _ => null,
        };
        if (text is null) LogUnknownOutcome(Outcome);
        else Log.LogMessage(MessageImportance.High, text);
    }

    protected override void OnCanceled() =>
        Log.LogWarning(subcategory: null, warningCode: ErrorCodes.NoResult, helpKeyword: null, file: null, 0, 0, 0, 0,
            $"{ServiceName}: stopped waiting. The rollout goes on on the manager and ends in the new release or a rollback; check it with -t:SwarmStatus.");

    /// <summary>"secret A" or "secrets A, B".</summary>
    protected static string Plural(string noun, IReadOnlyCollection<string> names) =>
        $"{noun}{(names.Count == 1 ? "" : "s")} {string.Join(", ", names)}";

    /// <summary>
    /// A name list property, trimmed, without empties or repeats. On the command line ';' and ',' both separate
    /// -p: properties, so several names arrive as one escaped "A%3BB" (a literal "A;B") or as a list; names never
    /// contain either character, so both are split here.
    /// </summary>
    protected static List<string> Names(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).ToList();
}
