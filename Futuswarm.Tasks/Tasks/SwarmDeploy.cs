using System.Globalization;
using Futuswarm.Protocol;
using Futuswarm.Tasks.Databases;
using Futuswarm.Tasks.Secrets;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>
/// Asks the manager to roll out the service. Without <see cref="Image"/> it asks for the running image and the
/// manager answers "image-required" when the content key differs, so the targets publish only then.
/// Declared secrets are read here, never by MSBuild, and only changed values are sent.
/// </summary>
public sealed class SwarmDeploy : ChangeTask
{
    public string Image { get; set; } = "";
    [Required] public string ContentKey { get; set; } = "";
    public string Port { get; set; } = "";
    public string Replicas { get; set; } = "1";
    public string HealthCheckPath { get; set; } = "/";
    public ITaskItem[] EnvironmentVariables { get; set; } = [];
    /// <summary>The SwarmSecret items: names and sources (FromEnvironment or FromFile), no values.</summary>
    public ITaskItem[] Secrets { get; set; } = [];
    /// <summary>What FromFile paths are relative to.</summary>
    public string ProjectDirectory { get; set; } = "";
    /// <summary>SwarmDatabase as ComputeSwarmConfig resolved it: "postgres", or empty for none.</summary>
    public string Database { get; set; } = "";

    [Output] public string DeployedImage { get; private set; } = "";

    internal DeployRequest BuildRequest(List<SecretInput>? secrets = null) => new()
    {
        Protocol = Wire.ProtocolVersion,
        Service = ServiceName,
        Image = string.IsNullOrEmpty(Image) ? null : Image,
        ContentKey = ContentKey,
        TimeoutSeconds = TimeoutSeconds,
        Spec = new ServiceSettings
        {
            Replicas = int.Parse(Replicas, CultureInfo.InvariantCulture),
            Port = Port is "" or "none" ? null : int.Parse(Port, CultureInfo.InvariantCulture),
            HealthCheckPath = HealthCheckPath,
            Environment = Environment(),
            Database = DatabaseOption.Normalize(Database) is { Length: > 0 } database ? database : null,
        },
        Secrets = secrets ?? [],
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
        // Declarations and values are checked before anything is sent; the values are zeroed when the task ends.
        var declared = SecretDeclaration.Parse(Secrets);
        DatabaseOption.CheckSecretNames(declared.Select(d => d.Name), DatabaseOption.Normalize(Database), "SwarmSecret");
        using var values = SecretSources.Read(declared, ProjectDirectory);
        var secrets = new List<SecretInput>();
        if (declared.Count > 0)
        {
            // Without declared secrets there is no extra round trip.
            using var cluster = await ListSecretsAsync(unknownServiceIsEmpty: true);
            if (cluster is null) return;
            var plan = SecretPlan.Make(declared, values, cluster);
            LogPlan(plan);
            secrets = plan.Inputs;
        }

        var result = await SendAsync(Wire.Verbs.Deploy, BuildRequest(secrets));
        if (result is null) return;
        TakeResult(result);
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
                LogUnknownOutcome(Outcome);
                break;
        }
    }

    private void LogPlan(SecretPlan plan)
    {
        if (plan.Changed.Count > 0)
            Log.LogMessage(MessageImportance.High, $"{ServiceName}: sending {Plural("new or changed secret", plan.Changed)}");
        if (plan.Unchanged.Count > 0)
            Log.LogMessage(MessageImportance.Normal, $"{ServiceName}: {Plural("secret", plan.Unchanged)} unchanged (same fingerprint as on the cluster); not sent");
        foreach (var (d, current) in plan.Kept)
            Log.LogMessage(MessageImportance.High,
                $"{ServiceName}: secret {d.Name}: {d.SourceMissing} on this machine; the cluster's current version ({current.Version}, set {current.SetAt:u} by {current.SetBy}) is kept");
    }
}
