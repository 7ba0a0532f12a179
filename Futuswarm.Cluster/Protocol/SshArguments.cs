namespace Futuswarm.Protocol;

/// <summary>
/// The OpenSSH client's argument list: deterministic, non-interactive, host key pinned under the cluster's
/// alias (TESTBED.md). A list, never a shell line; the verb is one of the protocol's constants.
/// </summary>
public static class SshArguments
{
    public static IReadOnlyList<string> For(ManagerEndpoint e, string verb)
    {
        var args = new List<string>
        {
            "-T",
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + e.KnownHostsFile,
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "HostKeyAlias=" + e.HostKeyAlias,
            "-o", "ConnectTimeout=10",
            "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=4",
            "-p", e.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrEmpty(e.IdentityFile))
            args.AddRange(["-o", "IdentitiesOnly=yes", "-i", e.IdentityFile]);
        args.Add("-l");
        args.Add(e.User);
        args.Add("--");
        args.Add(e.Host);
        args.Add(verb);
        return args;
    }
}
