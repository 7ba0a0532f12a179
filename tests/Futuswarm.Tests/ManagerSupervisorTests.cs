using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The manager steps on a pretend node: what a fresh node gets, that a converged node gets no mutating
/// command, and that a change restarts only the program it concerns.</summary>
public class ManagerSupervisorTests
{
    readonly List<string> _log = [];
    const string Daemon = "futuswarm-managerd", Sshd = "futuswarm-api-sshd";

    static bool Restarts(string[] c, string unit) => c.SequenceEqual(["systemctl", "restart", unit]);

    /// <summary>A node the manager steps have set up once, and the spec they ran with.</summary>
    async Task<(FakeManagerNode Node, NodeSpec Spec)> SetUpAsync(ManagerServicesSpec services)
    {
        var node = ManagerTestSpecs.FakeNode(services);
        var spec = ManagerTestSpecs.Node(services);
        await ManagerTestSpecs.RunAsync(node, spec, _log);
        return (node, spec);
    }

    [Fact]
    public async Task SystemdFirstRunThenConvergedThenConfigChangeRestartsOnlyTheDaemon()
    {
        var services = ManagerTestSpecs.Services();
        var node = ManagerTestSpecs.FakeNode(services);
        var spec = ManagerTestSpecs.Node(services);

        var first = await ManagerTestSpecs.RunAsync(node, spec, _log);
        Assert.Equal(["manager-users", "manager-binaries", "api-host-key", "managerd", "api-sshd"], first.Select(r => r.Step));
        Assert.All(first, r => Assert.True(r.Changed, r.Step));
        foreach (var unit in new[] { Daemon, Sshd })
        {
            var file = $"/etc/systemd/system/{unit}.service";
            Assert.Contains(file, node.Writes);
            Assert.Contains("Restart=always", node.Text(file));
            Assert.Contains(node.Commands, c => c.SequenceEqual(["systemctl", "enable", "--quiet", unit]));
            Assert.Single(node.Commands, c => Restarts(c, unit));
        }
        Assert.Contains(node.Commands, c => c.SequenceEqual(["systemctl", "daemon-reload"]));
        Assert.Contains("ExecStart=/opt/futuswarm/bin/managerd\n", node.Text("/etc/systemd/system/futuswarm-managerd.service"));
        Assert.Contains("ExecStart=/usr/sbin/sshd -D -f /opt/futuswarm/ssh/sshd_config", node.Text("/etc/systemd/system/futuswarm-api-sshd.service"));
        // The sshd config is checked before sshd (re)starts: a bad one must not replace a serving sshd.
        var check = node.Commands.FindIndex(c => c is ["/usr/sbin/sshd", "-t", ..]);
        Assert.True(check >= 0 && check < node.Commands.FindIndex(c => Restarts(c, Sshd)));
        Assert.Equal(["futuswarm", "futuswarm-keys"], node.Users.Order());
        Assert.True(node.SocketOpen);

        node.Commands.Clear();
        node.Writes.Clear();
        var second = await ManagerTestSpecs.RunAsync(node, spec, _log);
        Assert.All(second, r => Assert.False(r.Changed, $"{r.Step}: {r.Detail}"));
        Assert.Empty(node.Writes);
        Assert.DoesNotContain(node.Commands, FakeManagerNode.IsMutating);

        node.Commands.Clear();
        node.Writes.Clear();
        var changed = spec with { ManagerServices = services with { DaemonConfigJson = "{\"clusterName\":\"test\",\"keepReleases\":7}" } };
        var third = await ManagerTestSpecs.RunAsync(node, changed, _log);
        Assert.Equal(["managerd"], third.Where(r => r.Changed).Select(r => r.Step));
        Assert.Single(node.Commands, c => Restarts(c, Daemon));
        Assert.DoesNotContain(node.Commands, c => Restarts(c, Sshd));
        Assert.DoesNotContain(node.Commands, c => c.SequenceEqual(["systemctl", "daemon-reload"])); // units unchanged
        Assert.Equal(["/opt/futuswarm/managerd.json", "/opt/futuswarm/run/managerd.revision"], node.Writes);
        Assert.Contains("restarted the manager daemon (its configuration or binaries changed)", third.Single(r => r.Step == "managerd").Detail);
    }

    [Fact]
    public async Task AStoppedDaemonIsStartedAgainWithNothingElseChanged()
    {
        var services = ManagerTestSpecs.Services(ServiceSupervisorKind.PidFile);
        var (node, spec) = await SetUpAsync(services);
        Assert.Equal([services.Paths.DaemonPid, services.Paths.SshdPid], node.Running.Order());
        Assert.DoesNotContain(node.Commands, c => c[0] == "systemctl");

        node.Running.Remove(services.Paths.DaemonPid);
        node.Commands.Clear();
        var again = await ManagerTestSpecs.RunAsync(node, spec, _log);
        Assert.Equal(["managerd"], again.Where(r => r.Changed).Select(r => r.Step));
        Assert.Single(node.Commands, c => c is ["start-stop-daemon", "--start", ..] && c.Contains(services.Paths.DaemonPid));
        Assert.DoesNotContain(node.Commands, c => c is ["start-stop-daemon", "--start", ..] && c.Contains(services.Paths.SshdPid));
    }

    [Fact]
    public async Task ADaemonThatExitsAtStartIsFsw6058WithItsLogTail()
    {
        var services = ManagerTestSpecs.Services(ServiceSupervisorKind.PidFile);
        var node = ManagerTestSpecs.FakeNode(services);
        node.DaemonExitsAtStart = true;
        node.LogTail = "error FSW1234: cannot reach the store";
        var e = await Assert.ThrowsAsync<FswException>(() => ManagerTestSpecs.RunAsync(node, ManagerTestSpecs.Node(services), _log));
        Assert.Equal(ErrorCodes.ManagerServiceFailed, e.Code);
        Assert.Contains("exited during start-up", e.Message);
        Assert.Contains("cannot reach the store", e.Message);
        Assert.False(node.Files.ContainsKey(services.Paths.DaemonRevision)); // no revision after a failed start: the next run retries
        Assert.DoesNotContain(node.Commands, c => c is ["start-stop-daemon", "--start", ..] && c.Contains(services.Paths.SshdPid));
    }

    [Fact]
    public async Task AnSshdConfigThatFailsItsCheckLeavesTheServingSshdAlone()
    {
        var services = ManagerTestSpecs.Services(ServiceSupervisorKind.PidFile);
        var (node, _) = await SetUpAsync(services);
        var moved = ManagerTestSpecs.Node(services with { ApiListenAddress = "10.0.1.6" });

        node.SshdConfigInvalid = true;
        node.Commands.Clear();
        var e = await Assert.ThrowsAsync<FswException>(() => ManagerTestSpecs.RunAsync(node, moved, _log));
        Assert.Equal(ErrorCodes.NodeStepFailed, e.Code);
        Assert.Contains("api-sshd", e.Message);
        Assert.Contains(services.Paths.SshdPid, node.Running);
        Assert.DoesNotContain(node.Commands, c => c is ["start-stop-daemon", "--stop" or "--start", ..] && c.Contains(services.Paths.SshdPid));

        // Fixed: the next run restarts sshd with the new configuration.
        node.SshdConfigInvalid = false;
        node.Commands.Clear();
        var fixedRun = await ManagerTestSpecs.RunAsync(node, moved, _log);
        Assert.Equal(["api-sshd"], fixedRun.Where(r => r.Changed).Select(r => r.Step));
        Assert.Contains("ListenAddress 10.0.1.6\n", node.Text(services.Paths.SshdConfig));
        Assert.Single(node.Commands, c => c is ["start-stop-daemon", "--start", ..] && c.Contains(services.Paths.SshdPid));
    }

    [Fact]
    public async Task AChangedUnitFileRestartsItsProgram()
    {
        var services = ManagerTestSpecs.Services();
        var (node, spec) = await SetUpAsync(services);

        // An older unit (another ExecStart) under a running program: after daemon-reload, only a restart applies it.
        foreach (var unit in new[] { Daemon, Sshd })
            node.Files[$"/etc/systemd/system/{unit}.service"] = ("[Service]\nExecStart=/old\n"u8.ToArray(), (UnixFileMode)0b110_100_100);
        node.Commands.Clear();
        var again = await ManagerTestSpecs.RunAsync(node, spec, _log);
        Assert.Equal(["managerd", "api-sshd"], again.Where(r => r.Changed).Select(r => r.Step));
        Assert.Single(node.Commands, c => Restarts(c, Daemon));
        Assert.Single(node.Commands, c => Restarts(c, Sshd));
    }

    [Fact]
    public async Task AnAlteredFileModeIsRepairedAndReportedWithoutARestart()
    {
        var services = ManagerTestSpecs.Services();
        var (node, spec) = await SetUpAsync(services);

        var env = services.Paths.DaemonEnvironment;
        node.Files[env] = (node.Files[env].Content, (UnixFileMode)0b110_100_100); // someone made it world-readable
        node.Commands.Clear();
        var again = await ManagerTestSpecs.RunAsync(node, spec, _log);
        Assert.Equal(["managerd"], again.Where(r => r.Changed).Select(r => r.Step)); // a write is never reported as a skip
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, node.Files[env].Mode);
        Assert.DoesNotContain(node.Commands, c => c is ["systemctl", "restart", ..]); // same bytes: the running daemon is right
    }
}
