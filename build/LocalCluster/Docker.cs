using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The docker CLI bound to one engine socket (never the default one).</summary>
sealed class Docker(string cli, string socket, ILog log)
{
    public string Cli { get; } = cli;
    public string Socket { get; } = socket;

    public Task<ProcResult> RunAsync(IEnumerable<string> args, CancellationToken ct, bool check = true, TimeSpan? timeout = null) =>
        Proc.RunAsync(Cli, ["-H", "unix://" + Socket, .. args],
            new ProcOptions { Log = log, Check = check, Timeout = timeout ?? TimeSpan.FromMinutes(5) }, ct);

    /// <summary>Trimmed stdout of a command that must succeed.</summary>
    public async Task<string> OutAsync(CancellationToken ct, params string[] args) => (await RunAsync(args, ct)).StdOut.Trim();

    /// <summary>True when the engine answers its API (dockerd may still be starting).</summary>
    public async Task<bool> AnswersAsync(CancellationToken ct) =>
        File.Exists(Socket) &&
        (await RunAsync(["version", "--format", "{{.Server.Version}}"], ct, check: false, TimeSpan.FromSeconds(10))).Ok;
}
