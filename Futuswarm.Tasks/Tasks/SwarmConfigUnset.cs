using Futuswarm.Protocol;

namespace Futuswarm.Tasks;

/// <summary>Removes cluster-set configuration values; a SwarmEnvironmentVariable of the same name applies again.</summary>
public sealed class SwarmConfigUnset : ChangeTask
{
    /// <summary>SwarmConfigName: "A", "A,B" or "A;B".</summary>
    public string[] ConfigNames { get; set; } = [];

    protected override async Task ExecuteAsync()
    {
        var names = Names(ConfigNames);
        if (names.Count == 0)
            throw new FswException(ErrorCodes.ParameterMissing, "SwarmConfigName is required: name the value to unset, e.g. -p:SwarmConfigName=LOG_LEVEL (several: -p:SwarmConfigName=A%3BB).");
        foreach (var name in names)
            if (Validation.CheckEnvironmentVariable(name, "") is { } error)
                throw new FswException(ErrorCodes.InvalidEnvironmentVariable, $"SwarmConfigName is not valid: {error}.");

        var result = await SendAsync(Wire.Verbs.ConfigUnset,
            new RemoveRequest { Protocol = Wire.ProtocolVersion, Service = ServiceName, Names = names, TimeoutSeconds = TimeoutSeconds });
        if (result is null) return;
        Report(result, $"config {string.Join(", ", names)} unset", $"config {string.Join(", ", names)}");
    }
}
