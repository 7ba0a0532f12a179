using System.Diagnostics;
using System.Text.Json;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The same step list as cloud-init user data: write_files, then runcmd argv arrays; a joining node reads the
/// token from SSM on the node, so user data never holds it.</summary>
public class NodeCloudInitTests
{
    const string Parameter = "/futuswarm/prod/swarm/join-token/worker";

    static NodeSpec Worker() => new()
    {
        Name = "worker-2",
        Role = NodeRole.Worker,
        ManagerAddress = "10.0.1.4:2377",
        Labels = new Dictionary<string, string> { ["futuswarm.role"] = "worker" },
        JoinTokenParameter = Parameter,
        Region = "eu-north-1",
    };

    /// <summary>runcmd entries back as argv arrays (each line is a JSON array, which YAML reads as a flow sequence).</summary>
    static List<string[]> RunCmd(string yaml) => yaml.Split('\n').SkipWhile(l => l != "runcmd:").Skip(1)
        .Where(l => l.StartsWith("  - [")).Select(l => JsonSerializer.Deserialize<string[]>(l[4..])!).ToList();

    [Fact]
    public void AWorkerJoinsThroughAFileFromSsmAndTheEngineApi()
    {
        var yaml = CloudInitRenderer.Render(Worker());
        Assert.StartsWith("#cloud-config\n", yaml);
        Assert.Contains("  - path: \"/etc/docker/daemon.json\"\n    permissions: \"0644\"", yaml);
        Assert.Contains("\\\"max-size\\\": \\\"10m\\\"", yaml);
        Assert.DoesNotMatch(@"SWMTKN-1-[A-Za-z0-9]", yaml); // only the script's shape check, never a token

        var cmds = RunCmd(yaml);
        Assert.Collection(cmds,
            c => Assert.Equal(["sh", "-c"], c[..2]),                                     // docker present
            c => Assert.Equal(["systemctl", "restart", "docker"], c),                   // daemon.json applied
            c => Assert.Equal(["install", "-d", "-m", "0700", "/run/futuswarm"], c),
            c =>
            {
                Assert.Contains("--with-decryption", c[2]);
                Assert.Contains("umask 077", c[2]);
                // values as arguments, not in the script; it waits for the parameter up to 90 times, 10 s apart
                Assert.Equal(["sh", "eu-north-1", Parameter, "/run/futuswarm/join-token", "90", "10"], c[3..]);
            },
            c => Assert.Equal(["sh", "/run/futuswarm/join-token", "0.0.0.0:2377", "", "10.0.1.4:2377", "/run/futuswarm/join.json"], c[3..]),
            c =>
            {
                Assert.Equal(["sh", "/run/futuswarm/join.json", "curl"], c[3..6]);
                Assert.Contains("--unix-socket", c);
                Assert.Contains("@/run/futuswarm/join.json", c);
                Assert.Equal("http://docker/swarm/join", c[^1]);
            });
        // A worker labels nothing itself (the managers' repair run does) and creates no network.
        Assert.DoesNotContain(cmds, c => c.Contains("node") || c.Contains("network"));
    }

    [Fact]
    public void TheFirstManagerInitsLabelsItselfAndCreatesTheOverlay()
    {
        var spec = new NodeSpec
        {
            Name = "manager-1", Role = NodeRole.FirstManager, AdvertiseAddress = "10.0.1.4", Region = "eu-north-1",
            PublishJoinTokens = new JoinTokenParameters(Parameter, "/futuswarm/prod/swarm/join-token/manager"),
        };
        var cmds = RunCmd(CloudInitRenderer.Render(spec));
        Assert.Contains(cmds, c => c.SequenceEqual(spec.Docker("swarm", "init", "--advertise-addr", "10.0.1.4:2377", "--listen-addr", "10.0.1.4:2377")));
        var label = cmds.Single(c => c.Contains("--label-add"));
        Assert.Equal(["sh", "docker", "unix:///var/run/docker.sock", "--label-add", "futuswarm.node=manager-1"], label[3..]);
        Assert.Equal(spec.Docker("network", "create", "--driver", "overlay", "--attachable", "futuswarm"), cmds[^1]);
    }

    [Fact]
    public void AJoiningNodeWithoutItsTokenParameterIsRefused()
    {
        var e = Assert.Throws<FswException>(() => CloudInitRenderer.Render(Worker() with { JoinTokenParameter = null }));
        Assert.Equal(ErrorCodes.NodeSpecInvalid, e.Code);
    }

    [Theory]
    [InlineData("SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx", true)]
    [InlineData("SWMTKN-1-abc\"}, \"x\": \"y", false)]
    [InlineData("SWMTKN-1-$(touch /tmp/fsw-join-pwned)", false)]
    [InlineData("not-a-token", false)]
    public void TheBodyScriptBuildsTheJoinRequestOnlyFromAWellFormedToken(string token, bool ok)
    {
        using var dir = new TempDirectory();
        var tokenFile = dir.File("join-token", token + "\n");
        var body = Path.Combine(dir.Path, "join.json");
        var cmd = RunCmd(CloudInitRenderer.Render(Worker())).Single(c => c.Length > 2 && c[2].Contains("printf"));
        var psi = new ProcessStartInfo(cmd[0]) { RedirectStandardError = true };
        foreach (var a in cmd.Skip(1).Take(3)) psi.ArgumentList.Add(a);
        foreach (var a in new[] { tokenFile, "0.0.0.0:2377", "10.0.1.9:2377", "10.0.1.4:2377", body }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();

        Assert.False(File.Exists(tokenFile)); // read once, then gone
        Assert.False(File.Exists("/tmp/fsw-join-pwned"));
        Assert.Equal(ok, p.ExitCode == 0);
        if (!ok) return;
        using var doc = JsonDocument.Parse(File.ReadAllText(body));
        Assert.Equal(token, doc.RootElement.GetProperty("JoinToken").GetString());
        Assert.Equal("10.0.1.4:2377", doc.RootElement.GetProperty("RemoteAddrs")[0].GetString());
        Assert.Equal("10.0.1.9:2377", doc.RootElement.GetProperty("AdvertiseAddr").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(body));
    }
}
