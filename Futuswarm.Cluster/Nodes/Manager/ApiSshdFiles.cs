namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>The API sshd's configuration and its two helper scripts, from validated plain values only.</summary>
public static class ApiSshdFiles
{
    /// <summary>sshd's ForceCommand: the relay checks the verb itself; nothing here reads the client's input.</summary>
    public static string Relay(ManagerServicesSpec s) =>
        "#!/bin/sh\n# sshd's ForceCommand: the relay checks the verb itself; nothing here reads the client's input.\n" +
        $"exec {string.Join(' ', s.Launcher)} relay --socket {s.Paths.Socket}\n";

    /// <summary>
    /// sshd's AuthorizedKeysCommand (%u %t %k): prints the offered key, restricted, when acl.json lists it. sshd runs
    /// it twice per login, so it is jq (milliseconds) rather than a .NET start; the arguments reach jq as data only.
    /// </summary>
    public static string AuthorizedKeys(ManagerServicesSpec s) =>
        "#!/bin/sh\n" +
        "# sshd's AuthorizedKeysCommand (%u %t %k), written by Futuswarm's node bootstrap.\n" +
        $"[ \"$1\" = \"{ManagerPaths.ApiUser}\" ] || exit 0\n" +
        $"exec {s.Jq} -r --arg t \"$2\" --arg k \"$3\" " +
        "'.users[]?.keys[]? | split(\" \") | select(length >= 2 and .[0] == $t and .[1] == $k) | \"restrict \\(.[0]) \\(.[1])\"' " +
        $"{s.Paths.Acl}\n";

    public static string Config(ManagerServicesSpec s) => $"""
        # The Futuswarm API entry (written by Futuswarm's node bootstrap). Admin SSH stays on port 22.
        Port {s.ApiPort}
        ListenAddress {s.ApiListenAddress}
        HostKey {s.Paths.HostKey}
        PidFile {s.Paths.SshdPid}
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PubkeyAuthentication yes
        PermitRootLogin no
        AllowUsers {ManagerPaths.ApiUser}
        AuthorizedKeysFile none
        AuthorizedKeysCommand {s.Paths.AuthorizedKeys} %u %t %k
        AuthorizedKeysCommandUser {ManagerPaths.KeysUser}
        ExposeAuthInfo yes
        ForceCommand {s.Paths.Relay}
        DisableForwarding yes
        PermitTTY no
        PermitUserEnvironment no
        PrintMotd no
        MaxStartups 100:30:200
        LogLevel VERBOSE

        """;
}
