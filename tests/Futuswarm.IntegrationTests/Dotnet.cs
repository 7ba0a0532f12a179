using System.Diagnostics;
using System.Text;

namespace Futuswarm.IntegrationTests;

public sealed record PublishResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Pushed => Output.Contains("Pushed image", StringComparison.Ordinal) || Output.Contains("publishing its image", StringComparison.Ordinal);
}

/// <summary>Runs dotnet as a process, as a developer or CI would.</summary>
public static class Dotnet
{
    public static Task<PublishResult> DeployAsync(string projectOrDirectory, params string[] extra) =>
        RunAsync(["publish", projectOrDirectory, "-t:SwarmDeploy", "-p:SwarmCluster=local", "-nodeReuse:false", "-nologo", .. extra]);

    public static async Task<PublishResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var output = new StringBuilder();
        var o = Pump(p.StandardOutput, output);
        var e = Pump(p.StandardError, output);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(6));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw new TimeoutException($"dotnet {string.Join(' ', args)} timed out:\n{output}"); }
        await Task.WhenAll(o, e);
        return new PublishResult(p.ExitCode, output.ToString(), watch.Elapsed);
    }

    private static async Task Pump(StreamReader r, StringBuilder into)
    {
        while (await r.ReadLineAsync() is { } line) lock (into) into.AppendLine(line);
    }
}
