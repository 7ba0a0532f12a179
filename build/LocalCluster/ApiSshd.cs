using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>
/// The API sshd (DESIGN.md section 4): keys from acl.json through AuthorizedKeysCommand, ForceCommand to the relay,
/// no forwarding, no TTY. Port 22 is never touched.
/// </summary>
static class ApiSshd
{
    public static async Task<string> EnsureAsync(ManagerLayout layout, ILog log, CancellationToken ct)
    {
        Directory.CreateDirectory(layout.Ssh);
        Directory.CreateDirectory(layout.Bin);
        Directory.CreateDirectory("/run/sshd");
        if (!File.Exists(layout.HostKey))
        {
            await Proc.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "futuswarm-local-api", "-f", layout.HostKey], new ProcOptions { Log = log }, ct);
            log.Info("generated the API host key");
        }
        var changed = Write(Path.Combine(layout.Bin, "relay"),
            $"#!/bin/sh\n# sshd's ForceCommand: the relay checks the verb itself; nothing here reads the client's input.\nexec {ManagerLayout.Dotnet} {layout.ClusterDll} relay --socket {layout.Socket}\n", executable: true);
        changed |= Write(Path.Combine(layout.Bin, "authorized-keys"), AuthorizedKeysScript(layout), executable: true);
        changed |= Write(layout.SshdConfig, Config(layout), executable: false);

        var pid = Proc.TryReadPid(layout.SshdPid);
        if (!changed && pid is { } p && Proc.IsAlive(p))
        {
            log.Detail("API sshd runs");
            return File.ReadAllText(layout.HostKey + ".pub").Trim();
        }
        await Proc.RunAsync("/usr/sbin/sshd", ["-t", "-f", layout.SshdConfig], new ProcOptions { Log = log }, ct);
        if (pid is { } old) await Proc.StopAsync(old, TimeSpan.FromSeconds(5), log);
        Directory.CreateDirectory(Path.GetDirectoryName(layout.SshdLog)!);
        await Proc.RunAsync("/usr/sbin/sshd", ["-f", layout.SshdConfig, "-E", layout.SshdLog], new ProcOptions { Log = log }, ct);
        for (var i = 0; i < 100 && Proc.TryReadPid(layout.SshdPid) is null; i++) await Task.Delay(50, ct);
        log.Info($"API sshd listening on 127.0.0.1:{ManagerLayout.ApiPort}");
        return File.ReadAllText(layout.HostKey + ".pub").Trim();
    }

    /// <summary>
    /// sshd's AuthorizedKeysCommand (%u %t %k): prints the offered key, restricted, when acl.json lists it. sshd runs
    /// it twice per login, so it is jq (milliseconds) rather than a .NET start; the arguments reach jq as data only.
    /// </summary>
    static string AuthorizedKeysScript(ManagerLayout layout) =>
        "#!/bin/sh\n" +
        "# sshd's AuthorizedKeysCommand (%u %t %k), written by ./build.sh LocalCluster.\n" +
        $"[ \"$1\" = \"{ManagerLayout.ApiUser}\" ] || exit 0\n" +
        "exec /usr/bin/jq -r --arg t \"$2\" --arg k \"$3\" " +
        "'.users[]?.keys[]? | split(\" \") | select(length >= 2 and .[0] == $t and .[1] == $k) | \"restrict \\(.[0]) \\(.[1])\"' " +
        $"{layout.Acl}\n";

    static string Config(ManagerLayout layout) => $"""
        # The Futuswarm API entry (written by ./build.sh LocalCluster). Admin SSH stays on port 22.
        Port {ManagerLayout.ApiPort}
        ListenAddress 127.0.0.1
        HostKey {layout.HostKey}
        PidFile {layout.SshdPid}
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PubkeyAuthentication yes
        PermitRootLogin no
        AllowUsers {ManagerLayout.ApiUser}
        AuthorizedKeysFile none
        AuthorizedKeysCommand {Path.Combine(layout.Bin, "authorized-keys")} %u %t %k
        AuthorizedKeysCommandUser {ManagerLayout.KeysUser}
        ExposeAuthInfo yes
        ForceCommand {Path.Combine(layout.Bin, "relay")}
        DisableForwarding yes
        PermitTTY no
        PermitUserEnvironment no
        PrintMotd no
        MaxStartups 100:30:200
        LogLevel VERBOSE

        """;

    static bool Write(string path, string content, bool executable)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content) return false;
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, executable
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return true;
    }

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
