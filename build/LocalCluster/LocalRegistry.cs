using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Step d: Debian's docker-registry (distribution 2.8) on 127.0.0.1:5000, data kept under the root.</summary>
static partial class LocalRegistry
{
    public const string Address = "localhost:5000";
    const string Binary = "/usr/bin/docker-registry";

    static string Dir(LocalClusterSettings s) => Path.Combine(s.Root, "registry");
    static string PidFile(LocalClusterSettings s) => Path.Combine(s.RunDir, "registry.pid");

    public static async Task<StartedState> EnsureAsync(LocalClusterSettings s, StartedState state, ILog log, CancellationToken ct)
    {
        var config = EnsureConfig(s, log);
        if (RunningPid(s, state) is { } pid)
        {
            await WaitUntilAnswersAsync(s, TimeSpan.FromSeconds(15), ct);
            log.Info($"registry: running (pid {pid}), skip");
            return state with { RegistryPid = pid };
        }
        var started = await Proc.StartDetachedAsync(Binary, ["serve", config], Path.Combine(s.LogDir, "registry.log"),
            PidFile(s), log: log, ct: ct);
        state = (state with { RegistryPid = started }).Save(s.StateFile);
        await WaitUntilAnswersAsync(s, TimeSpan.FromSeconds(15), ct);
        log.Info($"registry: started (pid {started}) on 127.0.0.1:5000");
        return state;
    }

    public static int? RunningPid(LocalClusterSettings s, StartedState state)
    {
        if (state.RegistryPid is { } p && Proc.IsAlive(p, Binary)) return p;
        return Proc.TryReadPid(PidFile(s)) is { } q && Proc.IsAlive(q, Binary) ? q : null;
    }

    /// <summary>Writes config.yml only when its content would change; the http.secret made the first time is kept.</summary>
    static string EnsureConfig(LocalClusterSettings s, ILog log)
    {
        var path = Path.Combine(Dir(s), "config.yml");
        Directory.CreateDirectory(Path.Combine(Dir(s), "data"));
        var existing = File.Exists(path) ? File.ReadAllText(path) : "";
        var secret = SecretLine().Match(existing) is { Success: true } m
            ? m.Groups[1].Value
            : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)); // silences "No HTTP secret provided"
        var content = $"""
            # Written by ./build.sh LocalCluster.
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: {Path.Combine(Dir(s), "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{PortGuard.RegistryPort}
              secret: {secret}

            """;
        if (content != existing)
        {
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            log.Info($"registry: wrote {path}");
        }
        return path;
    }

    static async Task WaitUntilAnswersAsync(LocalClusterSettings s, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await RegistryClient.PingAsync(ct))
        {
            if (DateTime.UtcNow > deadline)
                throw new BuildFailure($"FSW6005: the registry did not answer http://127.0.0.1:5000/v2/ within {limit.TotalSeconds:0} s; " +
                    $"see {Path.Combine(s.LogDir, "registry.log")}.{Proc.LogTail(Path.Combine(s.LogDir, "registry.log"))}");
            await Task.Delay(50, ct);
        }
    }

    [GeneratedRegex(@"^\s*secret:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SecretLine();
}
