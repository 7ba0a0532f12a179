using System.Text;
using System.Text.Json;
using Futuswarm.Cluster.Provisioning;
using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Protocol;
using BootstrapRole = Futuswarm.Cluster.Nodes.NodeRole;

namespace Futuswarm.Tests;

/// <summary>
/// The real user data of every node of the example cluster: a cloud-config document, the node's bootstrap role, the
/// joiners pointed at manager-1's fixed address and their role's SSM parameter, never a token, within EC2's 16 KB.
/// </summary>
public class ClusterNodeUserDataTests
{
    private static readonly ClusterDefinition Definition =
        ClusterDefinitionLoader.Load(Path.Combine(RepoRoot.Path, "docs", "examples", "cluster.json"));
    private static readonly ComputeSpec Spec = ClusterPlanner.ComputeOf(Definition);
    private readonly ClusterNodeUserData _userData = new(Spec);

    public static TheoryData<string> Nodes => [.. ComputeNode.All(Spec).Select(n => n.Address.Name!)];

    private static ComputeNode Node(string name) => ComputeNode.All(Spec).Single(n => n.Address.Name == name);

    [Theory]
    [MemberData(nameof(Nodes))]
    public void EachNodesUserDataIsACloudConfigWithinEc2sLimitAndHoldsNoToken(string name)
    {
        var text = _userData.For(Node(name));

        Assert.Equal("#cloud-config", text.Split('\n')[0]);
        AssertCloudConfigShape(text);
        Assert.True(Encoding.UTF8.GetByteCount(text) <= InstanceKind.MaxUserDataBytes, $"{Encoding.UTF8.GetByteCount(text)} bytes");
        Assert.DoesNotMatch(@"SWMTKN-1-[A-Za-z0-9]", text);
    }

    [Fact]
    public void ManagerOneInitialisesTheSwarmAtItsFixedAddressAndTheOthersJoinIt()
    {
        const string join = "10.42.0.10:2377"; // host 10 of subnet[eu-west-1a] 10.42.0.0/20
        Assert.Equal("10.42.0.10", Spec.FirstManagerAddress);

        var first = _userData.SpecFor(Node("manager-1"));
        Assert.Equal((BootstrapRole.FirstManager, "10.42.0.10", "prod-manager-1"), (first.Role, first.AdvertiseAddress, first.Name));
        Assert.Null(first.ManagerAddress);
        Assert.Contains("\"init\"", _userData.For(Node("manager-1")));

        foreach (var (name, role, parameter) in new[]
        {
            ("manager-2", BootstrapRole.Manager, "/futuswarm/prod/swarm/join-token/manager"),
            ("manager-3", BootstrapRole.Manager, "/futuswarm/prod/swarm/join-token/manager"),
            ("worker-1", BootstrapRole.Worker, "/futuswarm/prod/swarm/join-token/worker"),
            ("worker-3", BootstrapRole.Worker, "/futuswarm/prod/swarm/join-token/worker"),
        })
        {
            var spec = _userData.SpecFor(Node(name));
            Assert.Equal((role, join, parameter, "eu-west-1", $"prod-{name}"), (spec.Role, spec.ManagerAddress, spec.JoinTokenParameter, spec.Region, spec.Name));
            Assert.Null(spec.AdvertiseAddress); // one interface: the engine picks
            var text = _userData.For(Node(name));
            Assert.Contains($"\"{join}\"", text);
            Assert.Contains($"\"{parameter}\"", text);
            Assert.Contains("http://docker/swarm/join", text);
        }
    }

    [Fact]
    public void OnlyTheFirstManagerPublishesBothJoinTokensForTheNodesBootingBesideIt()
    {
        var first = _userData.For(Node("manager-1"));
        Assert.Contains("put-parameter", first);
        Assert.Contains("/futuswarm/prod/swarm/join-token/worker", first);
        Assert.Contains("/futuswarm/prod/swarm/join-token/manager", first);
        Assert.Equal(new("/futuswarm/prod/swarm/join-token/worker", "/futuswarm/prod/swarm/join-token/manager"),
            _userData.SpecFor(Node("manager-1")).PublishJoinTokens);
        // Every node of the AWS cluster uses SSM at first boot: the AWS CLI comes with Docker if the image lacks it.
        Assert.Contains("install -y -q docker.io curl awscli", first);
        Assert.Contains("DPkg::Lock::Timeout=600", first);
        Assert.Contains("command -v aws", _userData.For(Node("worker-1")));
        foreach (var other in new[] { "manager-2", "worker-1" })
        {
            Assert.Null(_userData.SpecFor(Node(other)).PublishJoinTokens);
            Assert.DoesNotContain("put-parameter", _userData.For(Node(other)));
        }
    }

    [Fact]
    public void TheGroupsLabelsGoToTheBootstrap()
    {
        Assert.Equal("general", _userData.SpecFor(Node("worker-2")).Labels["tier"]);
        Assert.Empty(_userData.SpecFor(Node("manager-2")).Labels);
    }

    [Fact]
    public async Task ALabelTheBootstrapCannotSetStopsThePlanBeforeAnyLaunch()
    {
        // The definition takes any tag value; the bootstrap's commands take a narrower set (FSW6045), checked when a launch is planned.
        var cloud = new ProvisioningComputeTests.Cloud();
        await cloud.FoundationsAsync();
        var spec = ProvisioningComputeTests.Spec with
        {
            Workers = ProvisioningComputeTests.Spec.Workers with { Labels = new Dictionary<string, string> { ["tier"] = "web and batch" } },
        };

        var e = await Assert.ThrowsAsync<FswException>(() => cloud.ApplyAsync(spec, new ClusterNodeUserData(spec)));

        Assert.Equal(ErrorCodes.NodeSpecInvalid, e.Code);
        Assert.Contains("demo-worker-1", e.Message);
        Assert.Empty(cloud.Mutations);
    }

    /// <summary>The shape CloudConfig writes: top-level keys disable_root / write_files / runcmd only, every runcmd entry a JSON argv
    /// array (a YAML flow sequence), every write_files field a JSON string (a YAML double-quoted scalar).</summary>
    private static void AssertCloudConfigShape(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n').Skip(1).ToList();
        Assert.All(lines.Where(l => !l.StartsWith(' ')), l => Assert.Contains(l, new[] { "disable_root: false", "write_files:", "runcmd:" }));
        var runcmd = lines.SkipWhile(l => l != "runcmd:").Skip(1).ToList();
        Assert.NotEmpty(runcmd);
        Assert.All(runcmd, l => Assert.NotEmpty(JsonSerializer.Deserialize<string[]>(l[4..])!));
        foreach (var l in lines.TakeWhile(l => l != "runcmd:").Where(l => l.StartsWith("  ", StringComparison.Ordinal)))
        {
            var value = l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..];
            Assert.IsType<string>(JsonSerializer.Deserialize<string>(value));
        }
    }
}
