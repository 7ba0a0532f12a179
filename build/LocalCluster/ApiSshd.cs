using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The local API sshd's check and stop; the node bootstrap's api-sshd step sets it up (ApiSshdStep).</summary>
static class ApiSshd
{
    /// <summary>One real request through ssh, relay and daemon: the reserved name must come back as FSW2013.</summary>
    public static async Task CheckAsync(LocalProfile profile, ILog log, CancellationToken ct)
    {
        var endpoint = new Futuswarm.Protocol.ManagerEndpoint("127.0.0.1", ManagerLayout.ApiPort, ManagerLayout.ApiUser,
            profile.KnownHostsPath, profile.HostKeyAlias, profile.IdentityFile);
        var args = Futuswarm.Protocol.SshArguments.For(endpoint, "status");
        var r = await Proc.RunAsync("ssh", args, new ProcOptions { Check = false, StdIn = "{\"protocol\":1,\"service\":\"futuswarm-check\"}", Timeout = TimeSpan.FromSeconds(30) }, ct);
        if (!r.StdOut.Contains("FSW2013", StringComparison.Ordinal))
            throw new BuildFailure($"FSW6004: the API entry does not answer as expected (ssh exit {r.ExitCode}): {r.StdOut.Trim()} {r.StdErr.Trim()}");
        log.Detail("API entry answers");
    }

    public static async Task StopAsync(ManagerLayout layout, ILog log)
    {
        if (Proc.TryReadPid(layout.SshdPid) is { } pid && await Proc.StopAsync(pid, TimeSpan.FromSeconds(5), log))
            log.Info("stopped the API sshd");
    }
}
