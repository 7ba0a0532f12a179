using System.Text.Json;

namespace Futuswarm.Build.LocalCluster;

/// <summary>What LocalCluster started, in run/started.json, so --down stops exactly that and nothing else.</summary>
sealed record StartedState
{
    /// <summary>True when we run our own dockerd; false with --engine (that engine is never stopped).</summary>
    public bool OwnEngine { get; init; }
    public string? DockerSocket { get; init; }
    public int? DockerdPid { get; init; }
    public int? RegistryPid { get; init; }
    /// <summary>The docker_gwbridge Linux interface we created (deleted on --down once our dockerd is gone).</summary>
    public string? GwBridgeInterface { get; init; }
    /// <summary>The swarm on <see cref="DockerSocket"/> was initialised by LocalCluster, so it is ours to use.</summary>
    public bool SwarmInitByUs { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static StartedState Load(string path)
    {
        try { return JsonSerializer.Deserialize<StartedState>(File.ReadAllText(path), Json) ?? new(); }
        catch (FileNotFoundException) { return new(); }
        catch (JsonException) { return new(); } // a torn or hand-edited file: rediscover from pid files
    }

    /// <summary>Writes atomically (temp file + rename): a crash never leaves half a file.</summary>
    public StartedState Save(string path)
    {
        var saved = this with { UpdatedAt = DateTimeOffset.UtcNow };
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(saved, Json));
        File.Move(tmp, path, overwrite: true);
        return saved;
    }
}
