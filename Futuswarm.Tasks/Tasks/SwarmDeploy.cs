using System.Globalization;
using Futuswarm.Protocol;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>
/// Asks the manager to roll out the service. Without <see cref="Image"/> it asks for the running image and the
/// manager answers "image-required" when the content key differs, so the targets publish only then.
/// </summary>
public sealed class SwarmDeploy : ManagerTask
{
    public string Image { get; set; } = "";
    [Required] public string ContentKey { get; set; } = "";
    public string Port { get; set; } = "";
    public string Replicas { get; set; } = "1";
    public string HealthCheckPath { get; set; } = "/";
    public string DeployTimeout { get; set; } = "300";
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    [Output] public string Outcome { get; private set; } = "";
    [Output] public string Url { get; private set; } = "";
    [Output] public string Release { get; private set; } = "";
    [Output] public string DeployedImage { get; private set; } = "";

    internal DeployRequest BuildRequest() => new()
    {
        Protocol = Wire.ProtocolVersion,
        Service = ServiceName,
        Image = string.IsNullOrEmpty(Image) ? null : Image,
        ContentKey = ContentKey,
        TimeoutSeconds = int.Parse(DeployTimeout, CultureInfo.InvariantCulture),
        Spec = new ServiceSettings
        {
            Replicas = int.Parse(Replicas, CultureInfo.InvariantCulture),
            Port = Port is "" or "none" ? null : int.Parse(Port, CultureInfo.InvariantCulture),
            HealthCheckPath = HealthCheckPath,
            Environment = Environment(),
        },
    };

    /// <summary>ComputeSwarmConfig refuses duplicate names; should one slip through, the last item wins, as in MSBuild.</summary>
    private SortedDictionary<string, string> Environment()
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in EnvironmentVariables) env[item.ItemSpec] = item.GetMetadata("Value");
        return env;
    }

    protected override async Task ExecuteAsync()
    {
        var result = await SendAsync(Wire.Verbs.Deploy, BuildRequest());
        if (result is null) return;
        Outcome = result.Outcome ?? "";
        Url = result.Url ?? "";
        Release = result.Release?.ToString(CultureInfo.InvariantCulture) ?? "";
        DeployedImage = result.Image ?? "";
        switch (Outcome)
        {
            case Wire.Outcomes.ImageRequired:
                break; // the targets publish the image and ask again

            case Wire.Outcomes.Unchanged:
                Log.LogMessage(MessageImportance.High, $"{ServiceName}: unchanged, release {Release} keeps running{(Url.Length > 0 ? " at " + Url : "")}");
                break;
            case Wire.Outcomes.Deployed:
                Log.LogMessage(MessageImportance.High, $"{ServiceName}: release {Release} deployed{(Url.Length > 0 ? ", answering at " + Url : "")}");
                break;
            default:
                LogFsw(ErrorCodes.ProtocolMismatch, $"The manager answered an unknown outcome '{Outcome}'. Use a Futuswarm.Sdk version that matches the cluster.");
                break;
        }
    }

    protected override void OnCanceled() =>
        Log.LogWarning(subcategory: null, warningCode: ErrorCodes.NoResult, helpKeyword: null, file: null, 0, 0, 0, 0,
            $"{ServiceName}: stopped waiting. The rollout goes on on the manager and ends in the new release or a rollback; check it with -t:SwarmStatus.");
}
