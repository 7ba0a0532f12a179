using Futuswarm.Cluster.Provisioning.Access;
using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Identity;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// The cluster's instances against the fakes, after the network, identity and access layers in the same context (as the
/// cluster's reconciler runs them): provision, converge, drift, the managers' refusal, scale-in, partial failure, destroy.
/// </summary>
public class ProvisioningComputeTests
{
    private const string KeyArn = "arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string AdminKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICwh+35uUbojKaNburipr1MJmyHg9EHLUpaBZqTTCMgY admin@example";
    private const string Required = "tokens=required hop_limit=1 endpoint=enabled";

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    internal static readonly ComputeSpec Spec = new("demo", "eu-north-1", "10.40.0.0/16", ["eu-north-1a", "eu-north-1b"],
        new NodeGroup(3, "t3.medium", 30, NoLabels),
        new NodeGroup(3, "t3.large", 50, new Dictionary<string, string> { ["tier"] = "web" }));

    /// <summary>One account: the fakes and the layers on them, run in dependency order in one context per run.</summary>
    internal sealed class Cloud
    {
        public FakeEc2Cloud Ec2 { get; } = new();
        public FakeIamCloud Iam { get; } = new();
        public FakeKeyPairs Keys { get; } = new();
        public FakeAcmCloud Acm { get; } = new();
        public FakeSsmParameters Ssm { get; } = new();
        public List<string> Log { get; } = [];

        private FakeCloud[] Fakes => [Ec2, Iam, Keys, Acm, Ssm];

        /// <summary>Network, identity, access, then compute: the network's zones are the compute spec's.</summary>
        public IReadOnlyList<Reconciler> Layers(ComputeSpec? spec, INodeUserData? userData) =>
        [
            NetworkLayer.For(Ec2, ProvisioningNetworkTests.Spec with { Zones = (spec ?? Spec).Zones }),
            IdentityLayer.For(Iam, new IdentitySpec("demo", "eu-north-1", "123456789012", KeyArn)),
            AccessLayer.For(Keys, Acm, Acm, new AccessSpec("demo", "apps.example.com", AdminKey)),
            ComputeLayer.For(Ec2, Ssm, spec ?? Spec, userData ?? new TestNodeUserData()),
        ];

        /// <summary>All kinds in one reconciler, in dependency order, as the cluster's planner wires them.</summary>
        public Reconciler Cluster(ComputeSpec? spec = null, INodeUserData? userData = null) =>
            new([.. Layers(spec, userData).SelectMany(l => l.Kinds)]);

        public ProvisionContext Ctx() => new("demo", WaitOptions.Immediate, log: Log.Add);

        /// <summary>What the compute layer's kind changed or would change, out of a plan of every kind.</summary>
        private static Plan Compute(Plan plan) => new(plan.Cluster, plan.Changes.Where(c => c.Address.Kind == ComputeNode.Kind).ToList());

        public async Task<Plan> ApplyAsync(ComputeSpec? spec = null, INodeUserData? userData = null, ProvisionContext? ctx = null) =>
            Compute(await Cluster(spec, userData).ApplyAsync(ctx ?? Ctx(), default));

        public async Task<Plan> PlanAsync(ComputeSpec? spec = null) => Compute(await Cluster(spec).PlanAsync(Ctx(), default));

        /// <summary>Network, identity and access applied from nothing; returns their context for the compute layer.</summary>
        public async Task<ProvisionContext> FoundationsAsync()
        {
            var ctx = Ctx();
            await new Reconciler([.. Layers(null, null).SkipLast(1).SelectMany(l => l.Kinds)]).ApplyAsync(ctx, default);
            ResetCalls();
            return ctx;
        }

        public void ResetCalls()
        {
            foreach (var fake in Fakes) fake.ResetCalls();
            Log.Clear();
        }

        public IReadOnlyList<string> Mutations => Fakes.SelectMany(f => f.Calls.Select(c => c.ToString())).ToList();

        public InstanceInfo Node(string name) =>
            Ec2.AllInstances.Single(i => i.State is not ("terminated" or "shutting-down") && i.Tags[ClusterTags.Role] == $"instance[{name}]");

        public async Task<string> GroupIdAsync(string name) =>
            (await Ec2.DescribeSecurityGroupsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo"), Ec2Filter.Tag(ClusterTags.Role, $"security-group[{name}]")], default)).Single().GroupId;

        public async Task<string> SubnetIdAsync(string zone) =>
            (await Ec2.DescribeSubnetsAsync([Ec2Filter.Tag(ClusterTags.Cluster, "demo"), Ec2Filter.Of("availability-zone", zone)], default)).Single().SubnetId;

        public IEc2Instances Instances => Ec2;
    }

    private readonly Cloud _cloud = new();

    [Fact]
    public async Task FullProvisionFromNothingLaunchesOneInstancePerNodeAsSpecified()
    {
        var ctx = await _cloud.FoundationsAsync();

        var applied = await ComputeLayer.For(_cloud.Ec2, _cloud.Ssm, Spec, new TestNodeUserData()).ApplyAsync(ctx, default);

        Assert.Equal(6, applied.Count(ChangeAction.Create));
        var (a, b) = (await _cloud.SubnetIdAsync("eu-north-1a"), await _cloud.SubnetIdAsync("eu-north-1b"));
        var (nodes, managers) = (await _cloud.GroupIdAsync("nodes"), await _cloud.GroupIdAsync("managers"));
        string Launch(string role, string type, string subnet, string groups, string profile, int disk) =>
            $"RunInstances instance[{role}] {type} {FakeImages.DebianAmd64} {subnet} groups={groups} profile={profile} key=futuswarm-demo "
            + $"{Required} root=/dev/xvda:{disk}GB:gp3:encrypted:delete-on-termination public_ip=True";
        Assert.Equal(
        [
            Launch("manager-1", "t3.medium", a, $"{nodes},{managers}", "futuswarm-demo-manager", 30) + " private_ip=10.40.0.10",
            Launch("manager-2", "t3.medium", b, $"{nodes},{managers}", "futuswarm-demo-manager", 30),
            Launch("manager-3", "t3.medium", a, $"{nodes},{managers}", "futuswarm-demo-manager", 30),
            Launch("worker-1", "t3.large", a, nodes, "futuswarm-demo-worker", 50),
            Launch("worker-2", "t3.large", b, nodes, "futuswarm-demo-worker", 50),
            Launch("worker-3", "t3.large", a, nodes, "futuswarm-demo-worker", 50),
        ], _cloud.Mutations);

        var worker = _cloud.Node("worker-2");
        Assert.Equal("running", worker.State);
        var launch = _cloud.Ec2.LaunchOf(worker.InstanceId);
        Assert.Equal(new TestNodeUserData().For(ComputeNode.All(Spec).Single(n => n.Address == ComputeNode.Worker(2))), launch.UserData);
        Assert.Equal("worker", worker.Tags[ComputeNode.NodeRoleTag]);
        Assert.Equal("web", worker.Tags["futuswarm:label:tier"]);
        Assert.Equal(("demo", "instance[worker-2]", "demo-instance-worker-2"), (worker.Tags["futuswarm:cluster"], worker.Tags["futuswarm:role"], worker.Tags["Name"]));
        Assert.Equal("manager", _cloud.Node("manager-1").Tags[ComputeNode.NodeRoleTag]);
        Assert.DoesNotContain(_cloud.Node("manager-1").Tags.Keys, k => k.StartsWith("futuswarm:label:", StringComparison.Ordinal));
        // A token per launch, so a retried call answers the same instance and a later launch is a new one.
        Assert.Equal(6, _cloud.Ec2.AllInstances.Select(i => _cloud.Ec2.LaunchOf(i.InstanceId).ClientToken).Distinct().Count());
        // The journal names every node; the log shows the waits and where each node runs.
        Assert.Equal(6, ctx.Journal.Created.Count(e => e.Address.Kind == "instance"));
        Assert.Contains(_cloud.Log, l => l.StartsWith($"waiting for instance[manager-1] ", StringComparison.Ordinal));
        Assert.Contains(_cloud.Log, l => l.StartsWith($"instance[worker-2] {worker.InstanceId} running, public 198.51.100.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecondRunMakesNoMutatingCall()
    {
        await _cloud.ApplyAsync();
        _cloud.ResetCalls();

        var plan = await _cloud.PlanAsync();
        var applied = await _cloud.ApplyAsync();

        Assert.True(plan.IsEmpty, plan.ToText());
        Assert.True(applied.IsEmpty, applied.ToText());
        Assert.Empty(_cloud.Mutations);
        Assert.True(_cloud.Ec2.ReadCount > 0 && _cloud.Ssm.ReadCount > 0);
    }

    [Fact]
    public async Task EventualConsistencyIsWaitedOutWithoutDuplicates()
    {
        // Every fresh resource (subnets, groups, instances) stays invisible for two reads, as EC2's endpoints lag.
        _cloud.Ec2.VisibilityLag = 2;

        await _cloud.ApplyAsync();
        _cloud.ResetCalls();
        await _cloud.ApplyAsync();

        Assert.Empty(_cloud.Mutations);
        Assert.Equal(6, _cloud.Ec2.AllInstances.Count);
        Assert.All(_cloud.Ec2.AllInstances, i => Assert.Equal("running", i.State));
    }

    [Fact]
    public async Task ALaunchIsRetriedWhileANewInstanceProfileIsNotYetKnownToEc2()
    {
        _cloud.Ec2.ProfileLag = 2;

        await _cloud.ApplyAsync();

        Assert.Equal(8, _cloud.Ec2.CallNames.Count(n => n == "RunInstances"));
        Assert.Equal(6, _cloud.Ec2.AllInstances.Count);
        // Each attempt its own token: the refused ones made nothing.
        Assert.Equal(8, _cloud.Ec2.ClientTokensSeen.Distinct().Count());
    }

    [Fact]
    public async Task ATerminatedWorkerIsLaunchedAgainWithOneCall()
    {
        await _cloud.ApplyAsync();
        var gone = _cloud.Node("worker-2").InstanceId;
        _cloud.Ec2.TerminateBehindTheBack(gone);
        _cloud.ResetCalls();

        var plan = await _cloud.PlanAsync();
        await _cloud.ApplyAsync();

        Assert.Equal(["+ instance[worker-2] (not found)"], plan.Changes.Select(c => c.ToString()));
        Assert.StartsWith("RunInstances instance[worker-2] t3.large", Assert.Single(_cloud.Mutations));
        Assert.NotEqual(gone, _cloud.Node("worker-2").InstanceId);
        Assert.Equal(6, _cloud.Ec2.TaggedInstances("demo").Count);
        // The terminated one is still listed by EC2, and ignored.
        Assert.Contains(_cloud.Ec2.AllInstances, i => i.InstanceId == gone && i.State == "terminated");
    }

    [Fact]
    public async Task AManagersHopLimitIsPutBackWithOneCall()
    {
        await _cloud.ApplyAsync();
        var id = _cloud.Node("manager-1").InstanceId;
        await _cloud.Instances.ModifyInstanceMetadataOptionsAsync(id, new MetadataOptions("required", 2, "enabled"), default);
        _cloud.ResetCalls();

        var plan = await _cloud.PlanAsync();
        await _cloud.ApplyAsync();

        Assert.Equal(
            $"""
            Cluster "demo": 0 to create, 1 to update, 0 to replace, 0 to delete.

            ~ instance[manager-1]  # drifted
                ~ metadata: tokens=required hop_limit=2 endpoint=enabled -> {Required}

            """, plan.ToText());
        Assert.Equal([$"ModifyInstanceMetadataOptions {id} {Required}"], _cloud.Mutations);
        Assert.Equal(MetadataOptions.Required, _cloud.Node("manager-1").Metadata);
    }

    [Fact]
    public async Task AStoppedWorkerIsStarted()
    {
        await _cloud.ApplyAsync();
        var id = _cloud.Node("worker-1").InstanceId;
        _cloud.Ec2.StopBehindTheBack(id);
        _cloud.ResetCalls();

        var plan = await _cloud.PlanAsync();
        await _cloud.ApplyAsync();

        Assert.Equal(new FieldChange("state", "stopped", "running"), Assert.Single(Assert.Single(plan.Changes).Fields));
        Assert.Equal([$"StartInstances {id}"], _cloud.Mutations);
        Assert.Equal("running", _cloud.Node("worker-1").State);
    }

    [Fact]
    public async Task ChangedGroupsAndTagsArePutBackInPlace()
    {
        await _cloud.ApplyAsync();
        var id = _cloud.Node("manager-2").InstanceId;
        var nodes = await _cloud.GroupIdAsync("nodes");
        await _cloud.Instances.ModifyInstanceSecurityGroupsAsync(id, [nodes], default);
        await _cloud.Instances.CreateTagsAsync(id, new Dictionary<string, string> { ["Name"] = "renamed", [ComputeNode.NodeRoleTag] = "worker" }, default);
        _cloud.ResetCalls();

        var plan = await _cloud.PlanAsync();
        await _cloud.ApplyAsync();

        Assert.Equal(
        [
            new FieldChange("security_groups", "security-group[nodes]", "security-group[nodes], security-group[managers]"),
            new FieldChange("tag Name", "renamed", "demo-instance-manager-2"),
            new FieldChange("tag futuswarm:node-role", "worker", "manager"),
        ], Assert.Single(plan.Changes).Fields);
        Assert.Equal(["ModifyInstanceAttribute", "CreateTags"], _cloud.Ec2.CallNames);
        Assert.True((await _cloud.PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task AChangedLabelIsRetaggedAndARemovedOneTakenOff()
    {
        await _cloud.ApplyAsync();
        var id = _cloud.Node("worker-1").InstanceId;
        _cloud.ResetCalls();
        var relabelled = Spec with { Workers = Spec.Workers with { Labels = new Dictionary<string, string> { ["zone-class"] = "fast" } } };

        var applied = await _cloud.ApplyAsync(relabelled);

        Assert.Equal(
        [
            FieldChange.Set("tag futuswarm:label:zone-class", "fast"),
            FieldChange.Remove("tag futuswarm:label:tier", "web"),
        ], applied.Changes[0].Fields);
        Assert.Equal(3, applied.Count(ChangeAction.Update));
        Assert.Equal(["CreateTags", "DeleteTags"], _cloud.Ec2.CallNames.Take(2));
        Assert.Equal($"DeleteTags {id} futuswarm:label:tier", _cloud.Mutations[1]);
        Assert.Equal("fast", _cloud.Node("worker-1").Tags["futuswarm:label:zone-class"]);
        Assert.False(_cloud.Node("worker-1").Tags.ContainsKey("futuswarm:label:tier"));
        _cloud.ResetCalls();
        Assert.True((await _cloud.PlanAsync(relabelled)).IsEmpty);
    }

    [Fact]
    public async Task AWorkerWhoseTypeChangedIsReplacedAlone()
    {
        await _cloud.ApplyAsync();
        var old = _cloud.Node("worker-3").InstanceId;
        _cloud.Ec2.ChangeTypeBehindTheBack(old, "t3.xlarge");
        _cloud.ResetCalls();

        var plan = await _cloud.PlanAsync();
        await _cloud.ApplyAsync();

        Assert.Equal(
            """
            Cluster "demo": 0 to create, 0 to update, 1 to replace, 0 to delete.

            -/+ instance[worker-3]  # instance type, subnet, private address, instance profile and root volume cannot change in place
                ~ instance_type: t3.xlarge -> t3.large

            """, plan.ToText());
        Assert.Equal(2, _cloud.Mutations.Count);
        Assert.Equal($"TerminateInstances {old}", _cloud.Mutations[0]);
        Assert.StartsWith("RunInstances instance[worker-3] t3.large", _cloud.Mutations[1]);
        Assert.Equal("t3.large", _cloud.Node("worker-3").InstanceType);
        _cloud.ResetCalls();
        Assert.True((await _cloud.PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task AChangedWorkerGroupReplacesEachWorkerAndNoManager()
    {
        await _cloud.ApplyAsync();
        var managers = Enumerable.Range(1, 3).Select(i => _cloud.Node($"manager-{i}").InstanceId).ToList();
        _cloud.ResetCalls();
        var bigger = Spec with { Workers = Spec.Workers with { DiskGb = 80 } };

        var applied = await _cloud.ApplyAsync(bigger);

        Assert.Equal(["instance[worker-1]", "instance[worker-2]", "instance[worker-3]"],
            applied.Changes.Where(c => c.Action == ChangeAction.Replace).Select(c => c.Address.ToString()));
        Assert.Contains(new FieldChange("root_volume_gb", "50", "80"), applied.Changes[0].Fields);
        Assert.Equal(managers, Enumerable.Range(1, 3).Select(i => _cloud.Node($"manager-{i}").InstanceId));
        Assert.Equal(3, _cloud.Ec2.CallNames.Count(n => n == "TerminateInstances"));
        Assert.Equal(3, _cloud.Ec2.CallNames.Count(n => n == "RunInstances"));
    }

    [Theory]
    [InlineData("type")]
    [InlineData("count")]
    [InlineData("zones")]
    public async Task AManagerChangeIsRefusedWithNothingChanged(string change)
    {
        await _cloud.ApplyAsync();
        _cloud.ResetCalls();
        var spec = change switch
        {
            "type" => Spec with { Managers = Spec.Managers with { InstanceType = "t3.large" } },
            "count" => Spec with { Managers = Spec.Managers with { Count = 1 } },
            _ => Spec with { Zones = ["eu-north-1a", "eu-north-1c"] },
        };

        var e = await Assert.ThrowsAsync<FswException>(() => _cloud.ApplyAsync(spec));

        Assert.Equal(ErrorCodes.ManagerChangeRefused, e.Code);
        Assert.Contains("not automated yet", e.Message);
        Assert.Contains("Nothing was changed", e.Message);
        Assert.Contains(change switch { "type" => "instance[manager-1] would have to be replaced", "count" => "instance[manager-2] would have to be terminated", _ => "instance[manager" }, e.Message);
        Assert.Empty(_cloud.Mutations);
    }

    [Fact]
    public async Task FewerWorkersTerminateTheHighestNumberedOnly()
    {
        await _cloud.ApplyAsync();
        var third = _cloud.Node("worker-3").InstanceId;
        _cloud.ResetCalls();

        var applied = await _cloud.ApplyAsync(Spec with { Workers = Spec.Workers with { Count = 2 } });

        Assert.Equal(["- instance[worker-3] (tagged for the cluster but not in the definition)"], applied.Changes.Select(c => c.ToString()));
        Assert.Equal([$"TerminateInstances {third}"], _cloud.Mutations);
        Assert.Equal(["instance[manager-1]", "instance[manager-2]", "instance[manager-3]", "instance[worker-1]", "instance[worker-2]"],
            _cloud.Ec2.TaggedInstances("demo").Select(t => t.Split(' ')[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AFailureAtEveryMutatingCallOfAFirstRunThenARerunCompletesWithoutDuplicates()
    {
        // How many mutating calls each fake takes in a run from nothing.
        var probe = new Cloud();
        await probe.ApplyAsync();
        var counts = new (string Fake, int Calls)[]
        {
            ("ec2", probe.Ec2.Calls.Count), ("iam", probe.Iam.Calls.Count), ("keys", probe.Keys.Calls.Count), ("acm", probe.Acm.Calls.Count),
        };
        Assert.Equal(25, counts[0].Calls); // 19 for the network (the address reservation among them), 6 launches

        foreach (var (fake, calls) in counts)
            for (var n = 1; n <= calls; n++)
            {
                var cloud = new Cloud();
                FakeCloud failing = fake switch { "ec2" => cloud.Ec2, "iam" => cloud.Iam, "keys" => cloud.Keys, _ => cloud.Acm };
                failing.FailMutatingCall(n);
                var first = cloud.Ctx();

                var e = await Assert.ThrowsAsync<FswException>(() => cloud.ApplyAsync(ctx: first));
                Assert.True(e.Code == ErrorCodes.CloudCallFailed, $"{fake} call {n}: {e.Message}");
                Assert.Equal(first.Journal.Created.Where(c => c.Address.Kind == "instance").Select(c => c.Id).Order(),
                    cloud.Ec2.TaggedInstances("demo").Select(t => t.Split(' ')[1]).Order());

                await cloud.ApplyAsync();

                var live = cloud.Ec2.TaggedInstances("demo").Select(t => t.Split(' ')[0]).Order(StringComparer.Ordinal).ToList();
                Assert.True(live.SequenceEqual(ComputeNode.All(Spec).Select(x => x.Address.ToString()).Order(StringComparer.Ordinal)), $"{fake} call {n}: {string.Join(", ", live)}");
                Assert.True(cloud.Ec2.AllInstances.Count == 6, $"{fake} call {n}: {cloud.Ec2.AllInstances.Count} launched");
                cloud.ResetCalls();
                Assert.True((await cloud.PlanAsync()).IsEmpty, $"{fake} call {n}");
            }
    }

    [Fact]
    public async Task DestroyTerminatesEveryNodeThenTheNetworkGoes()
    {
        await _cloud.ApplyAsync();
        _cloud.ResetCalls();
        var ctx = _cloud.Ctx();
        var layers = _cloud.Layers(null, null);

        var destroyed = await layers[3].DestroyAsync(ctx, default);
        await layers[0].DestroyAsync(ctx, default);

        Assert.Equal(
            ["instance[worker-3]", "instance[worker-2]", "instance[worker-1]", "instance[manager-3]", "instance[manager-2]", "instance[manager-1]"],
            destroyed.Changes.Select(c => c.Address.ToString()));
        Assert.Equal(6, _cloud.Ec2.CallNames.Count(n => n == "TerminateInstances"));
        Assert.Empty(_cloud.Ec2.TaggedInstances("demo"));
        Assert.All(_cloud.Ec2.AllInstances, i => Assert.Equal("terminated", i.State));
        Assert.Empty(_cloud.Ec2.Tagged("demo"));
        // Destroy needs no image: it works with the types no longer offered.
        Assert.True((await layers[3].PlanDestroyAsync(_cloud.Ctx(), default)).IsEmpty);
    }

    [Fact]
    public async Task AnArmTypeBootsTheArm64Image()
    {
        var arm = Spec with { Workers = Spec.Workers with { InstanceType = "m7g.large" } };

        await _cloud.ApplyAsync(arm);

        Assert.Equal(FakeImages.DebianArm64, _cloud.Ec2.LaunchOf(_cloud.Node("worker-1").InstanceId).ImageId);
        Assert.Equal(FakeImages.DebianAmd64, _cloud.Ec2.LaunchOf(_cloud.Node("manager-1").InstanceId).ImageId);
    }

    [Fact]
    public async Task UnknownTypesMissingImagesAndOversizedUserDataAreRefusedBeforeAnyLaunch()
    {
        var unknown = await Assert.ThrowsAsync<FswException>(() => _cloud.PlanAsync(Spec with { Workers = Spec.Workers with { InstanceType = "x9.huge" } }));
        Assert.Equal(ErrorCodes.InstanceTypeUnsupported, unknown.Code);
        Assert.Contains("'x9.huge'", unknown.Message);

        var mac = await Assert.ThrowsAsync<FswException>(() => _cloud.PlanAsync(Spec with { Workers = Spec.Workers with { InstanceType = "mac1.metal" } }));
        Assert.Equal(ErrorCodes.InstanceTypeUnsupported, mac.Code);

        await _cloud.FoundationsAsync();
        var tooLarge = await Assert.ThrowsAsync<FswException>(() => _cloud.ApplyAsync(userData: new TestNodeUserData(padding: 16 * 1024)));
        Assert.Equal(ErrorCodes.UserDataTooLarge, tooLarge.Code);
        Assert.DoesNotContain("RunInstances", _cloud.Ec2.CallNames);

        _cloud.Ssm.RemovePublic(NodeImages.ParameterFor("amd64"));
        var noImage = await Assert.ThrowsAsync<FswException>(() => _cloud.PlanAsync());
        Assert.Equal(ErrorCodes.NodeImageNotFound, noImage.Code);
        Assert.Contains("/aws/service/debian/release/12/latest/amd64", noImage.Message);
    }

    [Fact]
    public async Task AnInstanceThatDiesOnLaunchIsReportedAndLaunchedAgainNextRun()
    {
        await _cloud.FoundationsAsync();
        _cloud.Ec2.FailNextLaunchWith = "Client.InternalError: Client error on launch";

        var e = await Assert.ThrowsAsync<FswException>(() => _cloud.ApplyAsync());
        Assert.Equal(ErrorCodes.InstanceLaunchFailed, e.Code);
        Assert.Contains("instance[manager-1]", e.Message);
        Assert.Contains("Client.InternalError", e.Message);

        await _cloud.ApplyAsync();
        Assert.Equal(6, _cloud.Ec2.TaggedInstances("demo").Count);
    }

    [Fact]
    public async Task PlanTextFromNothing()
    {
        await _cloud.FoundationsAsync();
        var small = Spec with { Managers = Spec.Managers with { Count = 1 }, Workers = Spec.Workers with { Count = 1, InstanceType = "t4g.large" } };

        var plan = await _cloud.PlanAsync(small);

        Assert.Equal(
            """
            Cluster "demo": 2 to create, 0 to update, 0 to replace, 0 to delete.

            + instance[manager-1]  # not found
                + instance_type: t3.medium
                + image: ami-0de12a0000000a064 (debian 12 amd64, /aws/service/debian/release/12/latest/amd64)
                + subnet: subnet[eu-north-1a]
                + security_groups: security-group[nodes], security-group[managers]
                + instance_profile: futuswarm-demo-manager
                + key_pair: futuswarm-demo
                + metadata: tokens=required hop_limit=1 endpoint=enabled
                + root_volume: 30 GB gp3 encrypted, deleted with the instance
                + public_ip: true
                + private_ip: 10.40.0.10

            + instance[worker-1]  # not found
                + instance_type: t4g.large
                + image: ami-0de12a0000000a864 (debian 12 arm64, /aws/service/debian/release/12/latest/arm64)
                + subnet: subnet[eu-north-1a]
                + security_groups: security-group[nodes]
                + instance_profile: futuswarm-demo-worker
                + key_pair: futuswarm-demo
                + metadata: tokens=required hop_limit=1 endpoint=enabled
                + root_volume: 50 GB gp3 encrypted, deleted with the instance
                + public_ip: true
                + label tier: web

            """, plan.ToText());
    }

    [Fact]
    public void SpecIsValidatedAndFilledFromTheDefinition()
    {
        Assert.Equal(ErrorCodes.ProvisionSpecInvalid,
            Assert.Throws<FswException>(() => ComputeLayer.For(_cloud.Ec2, _cloud.Ssm, Spec with { Managers = Spec.Managers with { Count = 2 } }, new TestNodeUserData())).Code);
        Assert.Equal(ErrorCodes.ProvisionSpecInvalid,
            Assert.Throws<FswException>(() => ComputeLayer.For(_cloud.Ec2, _cloud.Ssm, Spec with { Workers = Spec.Workers with { DiskGb = 8 } }, new TestNodeUserData())).Code);
        Assert.Equal(
            ["instance[manager-1] eu-north-1a", "instance[manager-2] eu-north-1b", "instance[manager-3] eu-north-1c",
             "instance[worker-1] eu-north-1a", "instance[worker-2] eu-north-1b"],
            ComputeNode.All(Spec with { Zones = ["eu-north-1a", "eu-north-1b", "eu-north-1c"], Workers = Spec.Workers with { Count = 2 } })
                .Select(n => $"{n.Address} {n.Zone}"));
    }

    [Fact]
    public async Task FakeLaunchesAreIdempotentByClientTokenAndPrintHostKeys()
    {
        await _cloud.FoundationsAsync();
        var launch = new InstanceLaunch(FakeImages.DebianAmd64, "t3.medium", await _cloud.SubnetIdAsync("eu-north-1a"), [await _cloud.GroupIdAsync("nodes")],
            "futuswarm-demo-worker", "futuswarm-demo", "#cloud-config\n", MetadataOptions.Required,
            new RootVolume(FakeImages.RootDevice, 20, "gp3", true, true), true, new Dictionary<string, string>(), "token-1");

        var first = await _cloud.Instances.RunInstanceAsync(launch, default);
        var again = await _cloud.Instances.RunInstanceAsync(launch, default);

        Assert.Equal(first.InstanceId, again.InstanceId);
        Assert.Single(_cloud.Ec2.AllInstances);
        Assert.Null(await _cloud.Instances.GetConsoleOutputAsync(first.InstanceId, default)); // pending: nothing printed yet
        Assert.Equal("pending", (await _cloud.Instances.DescribeInstancesAsync([], default)).Single().State);
        Assert.Equal("running", (await _cloud.Instances.DescribeInstancesAsync([], default)).Single().State);
        Assert.Contains($"ssh-ed25519 {FakeEc2Cloud.ConsoleHostKey(first.InstanceId)} root@", await _cloud.Instances.GetConsoleOutputAsync(first.InstanceId, default));

        // EC2's refusals of a wrong launch.
        var wrongArch = await Assert.ThrowsAsync<CloudException>(() => _cloud.Instances.RunInstanceAsync(launch with { InstanceType = "m7g.large", ClientToken = "t2" }, default));
        Assert.Equal("InvalidParameterValue", wrongArch.Code);
        var noSubnet = await Assert.ThrowsAsync<CloudException>(() => _cloud.Instances.RunInstanceAsync(launch with { SubnetId = "subnet-0000", ClientToken = "t3" }, default));
        Assert.Equal("InvalidSubnetID.NotFound", noSubnet.Code);
        var noGroup = await Assert.ThrowsAsync<CloudException>(() => _cloud.Instances.RunInstanceAsync(launch with { SecurityGroupIds = ["sg-0000"], ClientToken = "t4" }, default));
        Assert.Equal("InvalidGroup.NotFound", noGroup.Code);
        var wrongRoot = await Assert.ThrowsAsync<CloudException>(() => _cloud.Instances.RunInstanceAsync(
            launch with { Root = launch.Root with { DeviceName = "/dev/sda1" }, ClientToken = "t5" }, default));
        Assert.Equal("InvalidBlockDeviceMapping", wrongRoot.Code);
    }

    [Fact]
    public async Task FakeSecureStringsKeepTheirValueOutOfTheCallLog()
    {
        var ssm = _cloud.Ssm;
        var name = new ClusterNames("demo").JoinTokenParameter(manager: false);
        var token = "SWMTKN-1-" + Guid.NewGuid().ToString("N");
        var tags = new Dictionary<string, string> { ["futuswarm:cluster"] = "demo" };

        await ssm.PutSecureStringAsync(name, token, KeyArn, tags, overwrite: false, default);

        Assert.Equal(token, await ssm.GetSecureStringAsync(name, default));
        Assert.Equal(KeyArn, ssm.KeyOf(name));
        Assert.Equal("demo", ssm.TagsOf(name)!["futuswarm:cluster"]);
        Assert.Equal("ParameterAlreadyExists",
            (await Assert.ThrowsAsync<CloudException>(() => ssm.PutSecureStringAsync(name, "x", KeyArn, tags, overwrite: false, default))).Code);
        Assert.Equal("ValidationException",
            (await Assert.ThrowsAsync<CloudException>(() => ssm.PutSecureStringAsync(name, "x", KeyArn, tags, overwrite: true, default))).Code);
        var rotated = "SWMTKN-1-" + Guid.NewGuid().ToString("N");
        await ssm.PutSecureStringAsync(name, rotated, KeyArn, new Dictionary<string, string>(), overwrite: true, default);
        Assert.Equal(rotated, await ssm.GetSecureStringAsync(name, default));
        Assert.Equal("demo", ssm.TagsOf(name)!["futuswarm:cluster"]);
        Assert.Equal("ValidationException",
            (await Assert.ThrowsAsync<CloudException>(() => ssm.PutSecureStringAsync("/aws/service/x", "x", KeyArn, tags, overwrite: false, default))).Code);
        Assert.All(ssm.Calls, c => Assert.DoesNotContain("SWMTKN", c.ToString()));
        Assert.True(await ssm.DeleteParameterAsync(name, default));
        Assert.False(await ssm.DeleteParameterAsync(name, default));
        Assert.Null(await ssm.GetSecureStringAsync(name, default));
    }
}
