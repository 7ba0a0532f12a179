using Futuswarm.Protocol;

namespace Futuswarm.Tasks;

/// <summary>
/// Sets a plain configuration value on the cluster, without a deploy. It goes into the service's environment and
/// overrides a SwarmEnvironmentVariable of the same name until SwarmConfigUnset.
/// </summary>
public sealed class SwarmConfigSet : ChangeTask
{
    /// <summary>SwarmConfigName.</summary>
    public string ConfigName { get; set; } = "";
    /// <summary>SwarmConfigValue: plain configuration, visible in SwarmConfigList; secrets go through SwarmSecretSet.</summary>
    public string ConfigValue { get; set; } = "";

    protected override async Task ExecuteAsync()
    {
        var name = ConfigName.Trim();
        if (name.Length == 0)
            throw new FswException(ErrorCodes.ParameterMissing, "SwarmConfigName is required: e.g. -p:SwarmConfigName=LOG_LEVEL -p:SwarmConfigValue=debug.");
        if (ConfigValue.Length == 0)
            throw new FswException(ErrorCodes.InvalidEnvironmentVariable,
                $"SwarmConfigValue is empty. Pass the value (-p:SwarmConfigValue=...); to remove '{name}' from the cluster use -t:SwarmConfigUnset -p:SwarmConfigName={name}.");
        if (Validation.CheckEnvironmentVariable(name, ConfigValue) is { } error)
            throw new FswException(ErrorCodes.InvalidEnvironmentVariable, $"SwarmConfigName/SwarmConfigValue is not valid: {error}.");

        var result = await SendAsync(Wire.Verbs.ConfigSet, new ConfigSetRequest
        {
            Protocol = Wire.ProtocolVersion,
            Service = ServiceName,
            Values = new SortedDictionary<string, string>(StringComparer.Ordinal) { [name] = ConfigValue },
            TimeoutSeconds = TimeoutSeconds,
        });
        if (result is null) return;
        Report(result, $"config {name}={ConfigValue} set", $"config {name}");
    }
}
