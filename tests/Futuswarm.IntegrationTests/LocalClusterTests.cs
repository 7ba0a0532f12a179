using System.Net;
using System.Net.Sockets;

namespace Futuswarm.IntegrationTests;

/// <summary>./build.sh LocalCluster on a running cluster: a re-run changes nothing; a taken port is refused before anything starts.</summary>
public sealed class LocalClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_rerun_on_a_healthy_cluster_changes_nothing()
    {
        var daemonPid = File.ReadAllText(Path.Combine(TestCluster.Root, "run", "managerd.pid")).Trim();
        var sshdPid = File.ReadAllText(Path.Combine(TestCluster.Root, "run", "sshd.pid")).Trim();
        var result = await BuildScript.RunAsync("LocalCluster");
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("dockerd: running", result.Output);
        Assert.DoesNotContain("started", result.Output);
        Assert.Equal(daemonPid, File.ReadAllText(Path.Combine(TestCluster.Root, "run", "managerd.pid")).Trim());
        Assert.Equal(sshdPid, File.ReadAllText(Path.Combine(TestCluster.Root, "run", "sshd.pid")).Trim());
    }

    [Fact]
    public async Task A_port_taken_by_something_else_is_FSW6001_and_nothing_changes()
    {
        using var squatter = new TcpListener(IPAddress.Any, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var config = File.ReadAllText(Path.Combine(TestCluster.Root, "managerd.json"));

        var result = await BuildScript.RunAsync("LocalCluster", "--edge-port", port.ToString());
        output.WriteLine(result.Output);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("FSW6001", result.Output);
        Assert.Contains(port.ToString(), result.Output);
        Assert.Equal(config, File.ReadAllText(Path.Combine(TestCluster.Root, "managerd.json")));
    }
}
