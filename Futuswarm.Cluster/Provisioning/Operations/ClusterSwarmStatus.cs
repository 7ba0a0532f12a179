using System.Text.Json;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>A swarm service as <c>docker service ls</c> shows it; healthy when its running replicas match the wanted ones.</summary>
public sealed record SwarmServiceLine(string Name, string Mode, string Replicas, string Image)
{
    public bool Healthy
    {
        get
        {
            var parts = Replicas.Split(' ')[0].Split('/');
            return parts.Length == 2 && parts[0] == parts[1];
        }
    }
}

/// <summary>Whether a manager's own programs run (systemd's view: active, inactive, failed, ...).</summary>
public sealed record ManagerHealth(string Address, string Daemon, string ApiSshd)
{
    public bool Healthy => Daemon == "active" && ApiSshd == "active";
}

/// <summary>What ClusterStatus saw inside the swarm; <paramref name="Unreached"/> names the managers it could not ask, and why.</summary>
public sealed record SwarmStatusReport(IReadOnlyList<SwarmServiceLine> Services, IReadOnlyList<ManagerHealth> Managers, IReadOnlyList<string> Unreached);

/// <summary>
/// ClusterStatus's look inside the swarm, over the same verified SSH as RepairCluster (host keys from the EC2
/// console): the services as the first reachable manager lists them, and on every manager whether its daemon and API sshd run. Reads only.
/// </summary>
public sealed class ClusterSwarmStatus(ConsoleReader console, NodeConnector connect)
{
    public async Task<SwarmStatusReport> RunAsync(IReadOnlyList<ClusterNode> nodes, CancellationToken ct)
    {
        var services = new List<SwarmServiceLine>();
        var managers = new List<ManagerHealth>();
        var unreached = new List<string>();
        var servicesRead = false;
        foreach (var node in nodes.Where(n => n.IsManager && n.State == "running"))
        {
            if (await ConsoleHostKey.ReadAsync(console, node, ct) is not { } key)
            {
                unreached.Add($"{node.Address}: no host keys on its console yet (first boot)");
                continue;
            }
            try
            {
                using var shell = await connect(node, key, ct);
                managers.Add(new ManagerHealth(node.Address, await ActiveAsync(shell, ManagerDaemonStep.ServiceName, ct), await ActiveAsync(shell, ApiSshdStep.ServiceName, ct)));
                if (!servicesRead) // from the first manager that answers (manager-1 unless it is lost)
                {
                    services.AddRange(await ServicesAsync(shell, ct));
                    servicesRead = true;
                }
            }
            catch (Protocol.FswException e)
            {
                unreached.Add($"{node.Address}: {e.Message}");
            }
        }
        return new SwarmStatusReport(services, managers, unreached);
    }

    static async Task<string> ActiveAsync(INodeShell shell, string unit, CancellationToken ct)
    {
        var r = await shell.RunAsync(["systemctl", "is-active", unit], null, ct);
        var state = r.StdOut.Trim();
        return state.Length == 0 ? "unknown" : state;
    }

    /// <summary><c>docker service ls</c> as JSON lines (the format Docker documents for --format json).</summary>
    public static async Task<IReadOnlyList<SwarmServiceLine>> ServicesAsync(INodeShell shell, CancellationToken ct)
    {
        var r = await shell.RunAsync(["docker", "service", "ls", "--format", "{{json .}}"], null, ct);
        if (!r.Ok) return [];
        return ParseServices(r.StdOut);
    }

    public static IReadOnlyList<SwarmServiceLine> ParseServices(string jsonLines) =>
        jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                using var doc = JsonDocument.Parse(line);
                string Field(string name) => doc.RootElement.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
                return new SwarmServiceLine(Field("Name"), Field("Mode"), Field("Replicas"), Field("Image"));
            })
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
}
