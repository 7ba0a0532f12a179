using System.Text.Json;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Cluster.Nodes.Steps;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The first manager publishes both join tokens to their SSM SecureStrings (alias/aws/ssm, --overwrite, the
/// value from a 0600 file) and joining nodes wait for theirs, bounded. The rendered scripts run for real against a
/// fake aws/docker/curl on PATH that records every argv: no token is ever an argument, in the YAML or in the output.</summary>
public class NodeJoinTokenTests
{
    const string WorkerParameter = "/futuswarm/prod/swarm/join-token/worker";
    const string ManagerParameter = "/futuswarm/prod/swarm/join-token/manager";
    static readonly string WorkerToken = "SWMTKN-1-" + new string('w', 50) + "-" + new string('x', 25);
    static readonly string ManagerToken = "SWMTKN-1-" + new string('w', 50) + "-" + new string('m', 25);

    static NodeSpec FirstManager(FakeAwsNode? node = null) => new()
    {
        Name = "manager-1",
        Role = NodeRole.FirstManager,
        AdvertiseAddress = "10.0.1.4",
        Region = "eu-north-1",
        PublishJoinTokens = new JoinTokenParameters(WorkerParameter, ManagerParameter),
        DockerCli = node?.DockerCli ?? "docker",
        WorkDir = node?.WorkDir ?? "/run/futuswarm",
    };

    static NodeSpec Worker(FakeAwsNode node, int attempts) => new()
    {
        Name = "worker-2",
        Role = NodeRole.Worker,
        AdvertiseAddress = "10.0.1.9",
        ManagerAddress = "10.0.1.4:2377",
        JoinTokenParameter = WorkerParameter,
        Region = "eu-north-1",
        WorkDir = node.WorkDir,
        JoinTokenWaitSeconds = 0, // the bound in attempts; no real waiting in a unit test
        JoinTokenWaitAttempts = attempts,
    };

    static List<string[]> RunCmd(string yaml) => yaml.Split('\n').SkipWhile(l => l != "runcmd:").Skip(1)
        .Where(l => l.StartsWith("  - [")).Select(l => JsonSerializer.Deserialize<string[]>(l[4..])!).ToList();

    static void NoToken(string text)
    {
        Assert.DoesNotContain(WorkerToken, text);
        Assert.DoesNotContain(ManagerToken, text);
        Assert.DoesNotMatch(@"SWMTKN-1-[A-Za-z0-9]", text);
    }

    [Fact]
    public void TheFirstManagersUserDataPublishesBothTokensRightAfterTheInit()
    {
        var spec = FirstManager();
        var yaml = CloudInitRenderer.Render(spec);
        Assert.DoesNotMatch(@"SWMTKN-1-[A-Za-z0-9]", yaml); // the scripts fetch the tokens on the node; the YAML holds none
        Assert.True(yaml.Length < Futuswarm.Cluster.Provisioning.Compute.InstanceKind.MaxUserDataBytes / 2, $"{yaml.Length} bytes of user data"); // room left under EC2's limit

        var cmds = RunCmd(yaml);
        var init = cmds.FindIndex(c => c.Contains("init"));
        Assert.True(init >= 0);
        var worker = cmds[init + 1];
        var manager = cmds[init + 2];
        Assert.Equal(JoinTokenPublishStep.Command(spec, manager: false), worker);
        Assert.Equal(JoinTokenPublishStep.Command(spec, manager: true), manager);
        Assert.Equal(["sh", "docker", "unix:///var/run/docker.sock", "eu-north-1", "worker", WorkerParameter, "/run/futuswarm"], worker[3..]);
        Assert.Equal(["sh", "docker", "unix:///var/run/docker.sock", "eu-north-1", "manager", ManagerParameter, "/run/futuswarm"], manager[3..]);
        foreach (var script in new[] { worker[2], manager[2] })
        {
            Assert.Contains("--type SecureString --key-id alias/aws/ssm --overwrite", script);
            Assert.Contains("--value \"file://$t\"", script);
            Assert.Contains("umask 077", script);
        }
        // Labels and the overlay still follow; the tokens come before them so joiners wait as little as possible.
        Assert.Contains(cmds.Skip(init + 3), c => c.Contains("--label-add"));
        Assert.Equal(spec.Docker("network", "create", "--driver", "overlay", "--attachable", "futuswarm"), cmds[^1]);
    }

    [Fact]
    public void JoiningManagersAndWorkersPublishNothing()
    {
        using var node = new FakeAwsNode();
        var joiningManager = Worker(node, 3) with
        {
            Name = "manager-2", Role = NodeRole.Manager, JoinTokenParameter = ManagerParameter,
            PublishJoinTokens = new JoinTokenParameters(WorkerParameter, ManagerParameter),
        };
        Assert.DoesNotContain("put-parameter", CloudInitRenderer.Render(joiningManager));
        Assert.DoesNotContain("put-parameter", CloudInitRenderer.Render(Worker(node, 3)));
        Assert.False(new JoinTokenPublishStep().AppliesTo(Worker(node, 3)));
    }

    [Fact]
    public void AFirstManagerWithoutItsTokenParametersIsRefused()
    {
        var e = Assert.Throws<FswException>(() => CloudInitRenderer.Render(FirstManager() with { PublishJoinTokens = null }));
        Assert.Equal(ErrorCodes.NodeSpecInvalid, e.Code);
        Assert.Contains("publishes the join tokens", e.Message);
        var noRegion = Assert.Throws<FswException>(() => (FirstManager() with { Region = null }).Validate());
        Assert.Contains("needs the region", noRegion.Message);
    }

    [Theory]
    [InlineData("/futuswarm/x;rm -rf /", 10, 90)]
    [InlineData(WorkerParameter, -1, 90)]
    [InlineData(WorkerParameter, 301, 90)]
    [InlineData(WorkerParameter, 10, 0)]
    public void BadPublishParametersOrWaitBoundsAreRefused(string parameter, int seconds, int attempts)
    {
        var spec = FirstManager() with
        {
            PublishJoinTokens = new JoinTokenParameters(parameter, ManagerParameter),
            JoinTokenWaitSeconds = seconds,
            JoinTokenWaitAttempts = attempts,
        };
        Assert.Equal(ErrorCodes.NodeSpecInvalid, Assert.Throws<FswException>(() => spec.Validate()).Code);
    }

    [Fact]
    public async Task ThePublishScriptsPutBothTokensFromFilesAndAreIdempotent()
    {
        using var node = new FakeAwsNode();
        node.SetToken("worker", WorkerToken);
        node.SetToken("manager", ManagerToken);
        var cmds = RunCmd(CloudInitRenderer.Render(FirstManager(node))).Where(c => c.Length > 2 && c[2].Contains("put-parameter")).ToList();
        Assert.Equal(2, cmds.Count);

        var output = "";
        foreach (var c in cmds)
        {
            var r = await node.RunAsync(c);
            Assert.True(r.Ok, r.StdErr);
            output += r.StdOut + r.StdErr;
        }
        Assert.Equal(WorkerToken, node.Parameter(WorkerParameter)); // exactly the token: no newline stored
        Assert.Equal(ManagerToken, node.Parameter(ManagerParameter));
        Assert.Contains($"worker join token: published to {WorkerParameter}", output);
        Assert.Contains($"manager join token: published to {ManagerParameter}", output);
        NoToken(output);
        NoToken(node.AwsArgv);

        var puts = node.AwsCalls.Where(a => a.StartsWith("ssm put-parameter")).ToList();
        Assert.Equal(2, puts.Count);
        Assert.All(puts, p =>
        {
            Assert.Contains("--type SecureString", p);
            Assert.Contains("--key-id alias/aws/ssm", p);
            Assert.Contains("--overwrite", p);
            Assert.Contains("--region eu-north-1", p);
            Assert.DoesNotContain("--tags", p); // SSM refuses tags with --overwrite
        });
        Assert.Contains($"--name {WorkerParameter} --type SecureString --key-id alias/aws/ssm --overwrite --value file://{node.WorkDir}/publish-worker", puts[0]);
        Assert.Contains($"--value file://{node.WorkDir}/publish-manager", puts[1]);
        Assert.Equal(["600", "600"], node.PutFileModes);
        Assert.Empty(Directory.GetFiles(node.WorkDir)); // the token files are gone

        // A re-run (cloud-init's runcmd again, or the step over SSH) finds both up to date and writes nothing.
        node.ForgetCalls();
        foreach (var c in cmds)
        {
            var r = await node.RunAsync(c);
            Assert.True(r.Ok, r.StdErr);
            Assert.Contains("up to date", r.StdOut);
        }
        Assert.DoesNotContain(node.AwsCalls, a => a.StartsWith("ssm put-parameter"));
        Assert.Empty(Directory.GetFiles(node.WorkDir));
    }

    [Fact]
    public async Task TheStepOverSshPublishesARotatedTokenAndSkipsWhenUpToDate()
    {
        using var node = new FakeAwsNode();
        node.SetToken("worker", WorkerToken);
        node.SetToken("manager", ManagerToken);
        node.PutParameter(ManagerParameter, ManagerToken);
        node.PutParameter(WorkerParameter, "SWMTKN-1-old-rotatedaway");
        var log = new List<string>();
        var ctx = new NodeContext(node, node, FirstManager(node), null, log.Add);

        var first = await NodeBootstrap.RunAsync(ctx, [new JoinTokenPublishStep()]);
        Assert.True(first.Single().Changed);
        Assert.Equal("published the worker join token to SSM (alias/aws/ssm)", first.Single().Detail);
        Assert.Equal(WorkerToken, node.Parameter(WorkerParameter));
        Assert.Single(node.AwsCalls, a => a.StartsWith("ssm put-parameter"));

        var second = await NodeBootstrap.RunAsync(ctx, [new JoinTokenPublishStep()]);
        Assert.False(second.Single().Changed);
        NoToken(string.Join("\n", log) + node.AwsArgv);
    }

    [Fact]
    public async Task APublishThatFailsNamesTheCodeAndNoToken()
    {
        using var node = new FakeAwsNode();
        node.SetToken("worker", "not-a-token");
        node.SetToken("manager", ManagerToken);
        var ctx = new NodeContext(node, node, FirstManager(node), null, _ => { });

        var e = await Assert.ThrowsAsync<FswException>(() => NodeBootstrap.RunAsync(ctx, [new JoinTokenPublishStep()]));
        Assert.Equal(ErrorCodes.NodeJoinTokenPublishFailed, e.Code);
        Assert.Contains("no well-formed worker join token", e.Message);
        Assert.DoesNotContain(node.AwsCalls, a => a.StartsWith("ssm put-parameter"));
        Assert.Empty(Directory.GetFiles(node.WorkDir));
    }

    [Fact]
    public async Task AJoinerWaitsForItsParameterThenJoins()
    {
        using var node = new FakeAwsNode();
        node.PutParameter(WorkerParameter, WorkerToken);
        node.ParameterMissingFor(2); // the first manager publishes it only after two polls
        var spec = Worker(node, attempts: 5);
        var cmds = RunCmd(CloudInitRenderer.Render(spec));
        var output = "";
        foreach (var c in cmds.SkipWhile(c => c[0] != "install")) // the join: work dir, wait and fetch, body, post
        {
            var r = await node.RunAsync(c);
            Assert.True(r.Ok, $"{string.Join(' ', c.Take(3))}: {r.StdErr}");
            output += r.StdOut + r.StdErr;
        }
        Assert.Contains($"join token: {WorkerParameter} does not exist yet (attempt 1 of 5); waiting 0 s", output);
        Assert.Contains("(attempt 2 of 5)", output);
        Assert.DoesNotContain("(attempt 3 of 5)", output);
        Assert.Contains($"join token: read from {WorkerParameter}", output);
        Assert.Equal(3, node.AwsCalls.Length);
        Assert.All(node.AwsCalls, a => Assert.StartsWith($"ssm get-parameter --region eu-north-1 --name {WorkerParameter} --with-decryption", a));

        // It went on: the engine got the join request with the token, from a file, and every file is gone.
        using var request = JsonDocument.Parse(node.JoinRequest!);
        Assert.Equal(WorkerToken, request.RootElement.GetProperty("JoinToken").GetString());
        Assert.Contains($"--data-binary @{node.WorkDir}/join.json", node.CurlArgv);
        Assert.Empty(Directory.GetFiles(node.WorkDir));
        NoToken(output);
        NoToken(node.AwsArgv + node.CurlArgv);
    }

    [Theory]
    [InlineData(false, "does not exist yet")]
    [InlineData(true, "could not be read: An error occurred (AccessDeniedException)")]
    public async Task AJoinerWhoseParameterNeverAppearsGivesUpAfterTheBound(bool denied, string why)
    {
        using var node = new FakeAwsNode();
        if (denied) node.DenyReads();
        var fetch = RunCmd(CloudInitRenderer.Render(Worker(node, attempts: 3))).Single(c => c.Length > 2 && c[2].Contains("get-parameter"));
        Directory.CreateDirectory(node.WorkDir);

        var r = await node.RunAsync(fetch);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(3, node.AwsCalls.Length);
        Assert.Contains($"join token: {WorkerParameter} {why}", r.StdOut);
        Assert.Contains("(attempt 2 of 3); waiting 0 s", r.StdOut);
        Assert.DoesNotContain("(attempt 3 of 3)", r.StdOut);
        Assert.StartsWith($"{ErrorCodes.NodeJoinTokenWaitTimedOut}: join token {WorkerParameter} {why}", r.StdErr);
        Assert.Contains("after 3 attempts 0 s apart; giving up.", r.StdErr);
        Assert.Empty(Directory.GetFiles(node.WorkDir)); // no token file, no error file left
    }
}
