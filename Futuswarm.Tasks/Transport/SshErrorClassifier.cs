using Futuswarm.Protocol;

namespace Futuswarm.Tasks.Transport;

/// <summary>ssh exits 255 for every transport failure; its messages tell them apart (TESTBED.md).</summary>
public static class SshErrorClassifier
{
    public static FswException Classify(string stderr, ManagerEndpoint e)
    {
        var where = $"{e.Host}:{e.Port}";
        var last = LastLine(stderr);
        if (stderr.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal))
            return new(ErrorCodes.HostKeyChanged,
                $"The manager at {where} presented a different host key than the one pinned for {e.HostKeyAlias} in {e.KnownHostsFile}. This may be an attack; if the cluster's API key was really replaced, get the new profile from your ops (or re-run ./build.sh LocalCluster).");
        if (stderr.Contains("host key is known for", StringComparison.Ordinal) || stderr.Contains("Host key verification failed", StringComparison.Ordinal))
            return new(ErrorCodes.HostKeyUnknown,
                $"No host key is pinned for {e.HostKeyAlias} in {e.KnownHostsFile}, so the manager at {where} cannot be verified. Set SwarmHostKey, or use the cluster profile (SwarmCluster) that carries it.");
        if (stderr.Contains("Permission denied", StringComparison.Ordinal))
            return new(ErrorCodes.KeyRefused,
                $"The manager at {where} refused your SSH key{(e.IdentityFile is null ? "" : $" ({e.IdentityFile})")}. Ask a cluster admin to add your public key, or load the right key into ssh-agent.");
        if (stderr.Contains("Connection refused", StringComparison.Ordinal) || stderr.Contains("Connection timed out", StringComparison.Ordinal)
            || stderr.Contains("No route to host", StringComparison.Ordinal) || stderr.Contains("Could not resolve hostname", StringComparison.Ordinal)
            || stderr.Contains("Network is unreachable", StringComparison.Ordinal))
            return new(ErrorCodes.ManagerUnreachable,
                $"The manager at {where} cannot be reached ({last}). Check SwarmManager / the cluster profile, your network, and that the cluster is up.");
        return new(ErrorCodes.TransportFailed, $"SSH to the manager at {where} failed: {last}");
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message from ssh";
}
