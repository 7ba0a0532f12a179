using Futuswarm.Cluster.Nodes.Ssh;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>The host key an instance printed to its EC2 console at first boot: what every SSH connection to it verifies.</summary>
public static class ConsoleHostKey
{
    /// <summary>The strongest key of the last block cloud-init printed (ed25519 when there is one); null before it printed one.</summary>
    public static async Task<string?> ReadAsync(ConsoleReader console, ClusterNode node, CancellationToken ct)
    {
        var output = await console(node.InstanceId, ct);
        var keys = output is null ? null : ConsoleHostKeys.Parse(output);
        if (keys is null || keys.Count == 0) return null;
        return keys.FirstOrDefault(k => k.StartsWith("ssh-ed25519 ", StringComparison.Ordinal)) ?? keys[0];
    }
}
