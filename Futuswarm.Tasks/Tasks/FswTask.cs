using Futuswarm.Protocol;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Futuswarm.Tasks;

/// <summary>Base of the Futuswarm tasks: coded errors logged MSBuild-style, Ctrl+C handled.</summary>
public abstract class FswTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cts = new();
    protected CancellationToken Cancellation => _cts.Token;

    public virtual void Cancel() => _cts.Cancel();

    public override bool Execute()
    {
        try
        {
            ExecuteAsync().GetAwaiter().GetResult();
        }
        catch (FswException e)
        {
            LogFsw(e.Code, e.Message, e.Details);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            OnCanceled();
        }
        return !Log.HasLoggedErrors;
    }

    protected abstract System.Threading.Tasks.Task ExecuteAsync();

    protected virtual void OnCanceled() => Log.LogWarning("Canceled.");

    protected void LogFsw(string code, string message, IReadOnlyList<string>? details = null)
    {
        var text = details is { Count: > 0 } ? message + Environment.NewLine + string.Join(Environment.NewLine, details.Select(d => "    " + d)) : message;
        Log.LogError(subcategory: null, errorCode: code, helpKeyword: null, file: BuildEngine?.ProjectFileOfTaskNode, 0, 0, 0, 0, text);
    }

    protected static int ParseInt(string value, string property, string code, string rule)
    {
        if (int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)) return n;
        throw new FswException(code, $"{property} '{value}' is not valid: {rule}.");
    }
}
