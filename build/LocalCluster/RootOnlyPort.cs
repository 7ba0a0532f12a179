using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>
/// s3rver checks an access key's name but not its signature, so anyone who can connect could read or change the
/// state (acl.json says who is admin). An OUTPUT rule on loopback lets only root's processes (the daemon, the build,
/// the tests) connect to its port; the API user and every other local user get a reset.
/// </summary>
static class RootOnlyPort
{
    const string Iptables = "/usr/sbin/iptables";

    static string[] Rule(int port) =>
        ["OUTPUT", "-o", "lo", "-p", "tcp", "-d", "127.0.0.1", "--dport", port.ToString(), "-m", "owner", "!", "--uid-owner", "0",
         "-m", "comment", "--comment", $"futuswarm-local root-only {port}", "-j", "REJECT", "--reject-with", "tcp-reset"];

    public static async Task EnsureAsync(int port, ILog log, CancellationToken ct)
    {
        var check = await Proc.RunAsync(Iptables, ["-C", .. Rule(port)], new ProcOptions { Check = false, Log = log }, ct);
        if (check.Ok)
        {
            log.Info($"port {port}: root only, skip");
            return;
        }
        await Proc.RunAsync(Iptables, ["-I", .. Rule(port)[..1], "1", .. Rule(port)[1..]], new ProcOptions { Log = log }, ct);
        log.Info($"port {port}: only root's processes may connect");
    }

    public static async Task RemoveAsync(int port, ILog log)
    {
        // -D removes one copy; loop in case an interrupted run added two.
        while ((await Proc.RunAsync(Iptables, ["-D", .. Rule(port)], new ProcOptions { Check = false, Log = log }, CancellationToken.None)).Ok) { }
    }
}
