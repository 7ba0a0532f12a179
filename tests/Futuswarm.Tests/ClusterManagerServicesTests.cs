using System.Text;
using System.Text.Json;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Cluster.Provisioning;
using Futuswarm.Cluster.Provisioning.Database;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.LoadBalancer;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// An AWS manager's own services: the spec built from the example definition and what a provision of the fake cloud
/// learnt (S3 store and KMS under the cluster's key, the edge on the target group's port, no secret in managerd.json),
/// and the manager steps run by the repair on every running manager, over fake shells standing in for SSH.
/// </summary>
public sealed class ClusterManagerServicesTests() : ExampleClusterTests("futuswarm-mgr-tests-")
{
    private ClusterStore Store(ManagerInputs inputs) => _fakes.Stores.Open(_definition.Name, inputs.StateBucket, inputs.KmsKeyArn);

    private static readonly byte[] BundleBytes = "a tar.gz"u8.ToArray();
    private readonly List<string> _bundlesAsked = [];
    private int _archives;

    private ManagerBundle Bundle(string rid)
    {
        _bundlesAsked.Add(rid);
        return new ManagerBundle($"{rid}-0123456789abcdef", _ => { _archives++; return Task.FromResult(BundleBytes); });
    }

    /// <summary>A pretend Debian manager per manager instance, named by its address, answering its machine type.</summary>
    private static Dictionary<string, FakeManagerNode> Shells(ProvisionReport report, string machine = "x86_64") =>
        report.Nodes.Where(n => n.IsManager).ToDictionary(n => n.InstanceId, n => new FakeManagerNode(n.Address, machine));

    private ManagerServicesSpec SpecOf(ProvisionReport report, bool first = true) =>
        ClusterManagerServices.For(_definition, report.Inputs!, new ApiHostKeySource(report.ApiHostKey, c => ApiHostKey.OpenPrivateKeyAsync(Store(report.Inputs!), c)),
            Bundle("linux-x64"), ensureDatabaseMaster: first, overlayNetwork: "futuswarm");

    [Fact]
    public async Task The_spec_of_an_AWS_manager_uses_the_S3_store_and_KMS_under_the_cluster_key_and_holds_no_secret()
    {
        var report = await Operations().ProvisionAsync(default);
        var inputs = report.Inputs!;
        var spec = SpecOf(report);
        var config = JsonSerializer.Deserialize<DaemonConfig>(spec.DaemonConfigJson, Wire.Json)!;

        Assert.Equal("/opt/futuswarm", spec.Root);
        Assert.Equal(["/opt/futuswarm/lib/cluster/Futuswarm.Cluster"], spec.Launcher); // the self-contained apphost
        Assert.Equal(ServiceSupervisorKind.Systemd, spec.Supervisor);
        Assert.Equal("0.0.0.0", spec.ApiListenAddress);
        Assert.Equal(report.ApiHostKey, spec.HostKey!.PublicKey);
        Assert.Empty(spec.DaemonEnvironment); // the instance role gives the credentials
        Assert.True(spec.EnsureDatabaseMaster);
        Assert.False(SpecOf(report, first: false).EnsureDatabaseMaster);

        Assert.Equal(StoreConfig.S3, config.Store.Kind);
        Assert.Equal(ClusterPlanner.StateOf(_definition, ClusterCloudsFactory.OfflineAccountId).BucketName, config.Store.Bucket);
        Assert.Equal(inputs.StateBucket, config.Store.Bucket);
        Assert.Equal("", config.Store.Prefix);
        Assert.Equal(_definition.Region, config.Store.Region);
        Assert.Null(config.Store.ServiceUrl);
        Assert.Equal(StoreConfig.SseKms, config.Store.ServerSideEncryption);
        Assert.Equal(inputs.KmsKeyArn, config.Store.SseKmsKeyId);
        Assert.StartsWith("arn:aws:kms:", inputs.KmsKeyArn);
        Assert.Equal(KeysConfig.Kms, config.Keys.Kind);
        Assert.Equal(inputs.KmsKeyArn, config.Keys.KmsKeyId);
        Assert.Null(config.Keys.KeyFile);
        Assert.Equal(_definition.Region, config.Keys.Region);

        Assert.Equal(_definition.Name, config.ClusterName);
        Assert.Equal(_definition.BaseDomain, config.BaseDomain);
        Assert.Equal("https://web.apps.example.com/", config.UrlOf("web"));
        Assert.Equal(["node.role==worker"], config.PlacementConstraints);
        Assert.Equal(new ManagerPaths("/opt/futuswarm").Socket, config.SocketPath);
        Assert.Equal("/opt/futuswarm/state", config.StateDirectory);
        Assert.Equal(ManagerPaths.ApiUser, config.RelayUser);
        Assert.Equal(ManagerPaths.KeysUser, config.KeysGroup);
        Assert.Equal("ghcr.io/example/futuswarm-edge:2.6.2", config.Edge.Image);
        Assert.Equal(["node.role==manager"], config.Edge.PlacementConstraints);
        Assert.Equal(config.Edge.StateDirectory, spec.EdgeDirectory!.Path);

        Assert.StartsWith("futuswarm-prod.", config.Database!.Host);
        Assert.Equal("futuswarm_master", config.Database.MasterUser);
        Assert.Equal("Require", config.Database.SslMode);

        // No secret: not the RDS admin's password, not the API host key's private half, no credential-shaped field.
        var admin = await new StoreDatabaseAdminSecrets(Store(inputs).Store, Store(inputs).Cipher, _definition.Name).LoadAsync(default);
        Assert.DoesNotContain(admin!.Password, spec.DaemonConfigJson);
        var privateKey = Encoding.UTF8.GetString(await ApiHostKey.OpenPrivateKeyAsync(Store(inputs), default));
        Assert.DoesNotContain(privateKey.Trim(), spec.DaemonConfigJson);
        foreach (var word in new[] { "password", "secret", "accessKey", "credential", "PRIVATE KEY" })
            Assert.DoesNotContain(word, spec.DaemonConfigJson, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_edge_publishes_the_target_groups_port_and_the_API_sshd_listens_on_the_security_groups_API_port()
    {
        var report = await Operations().ProvisionAsync(default);
        var config = JsonSerializer.Deserialize<DaemonConfig>(SpecOf(report).DaemonConfigJson, Wire.Json)!;

        var group = (await _fakes.ElbV2.DescribeTargetGroupsAsync([], null, default)).Single();
        Assert.Equal(group.Port, config.Edge.PublishedPort);
        Assert.Equal(TargetGroupKind.Port, config.Edge.PublishedPort);
        var managerRules = SecurityRules.For(SecurityRules.Managers, ClusterPlanner.NetworkOf(_definition));
        Assert.Contains(managerRules, r => r.Port == config.Edge.PublishedPort && r.Group == SecurityRules.LoadBalancer);
        Assert.Contains(managerRules, r => r.Port == SpecOf(report).ApiPort && r.Description.Contains("API"));
        Assert.Equal(_definition.ApiPort, SpecOf(report).ApiPort);
    }

    [Fact]
    public async Task The_spec_passes_the_node_bootstraps_validation_on_every_manager()
    {
        var report = await Operations().ProvisionAsync(default);
        var userData = new Cluster.Provisioning.Compute.ClusterNodeUserData(ClusterPlanner.ComputeOf(_definition));
        foreach (var node in Cluster.Provisioning.Compute.ComputeNode.All(ClusterPlanner.ComputeOf(_definition)).Where(n => n.IsManager))
            (userData.SpecFor(node) with { ManagerServices = SpecOf(report, node.IsFirstManager) }).Validate();
    }

    [Fact]
    public async Task Without_an_edge_image_the_services_are_not_installed_FSW6060_before_any_connection()
    {
        var minimal = ClusterDefinitionLoader.Load(Path.Combine(RepoRoot.Path, "docs", "examples", "cluster-minimal.json"));
        Assert.Null(minimal.EdgeImage);
        var e = Assert.Throws<FswException>(() => ClusterManagerServices.CheckEdgeImage(minimal));
        Assert.Equal(ErrorCodes.EdgeImageMissing, e.Code);
        Assert.Contains("edgeImage", e.Message);

        var report = await Operations().ProvisionAsync(default);
        var connections = 0;
        var thrown = await Assert.ThrowsAsync<FswException>(() => Operations(_definition with { EdgeImage = null }).InstallManagerServicesAsync(report, report.Nodes,
            (_, _, _) => { connections++; throw new InvalidOperationException("no connection expected"); }, Bundle, default));
        Assert.Equal(ErrorCodes.EdgeImageMissing, thrown.Code);
        Assert.Equal(0, connections);
    }

    [Theory]
    [InlineData("x86_64", "linux-x64")]
    [InlineData("aarch64", "linux-arm64")]
    public void A_machine_gets_the_bundle_of_its_architecture(string machine, string rid) =>
        Assert.Equal(rid, ClusterManagerServices.RidOf(machine + "\n", "instance[manager-1]"));

    [Fact]
    public void An_architecture_without_a_bundle_is_FSW6061() =>
        Assert.Equal(ErrorCodes.ManagerArchitectureUnsupported,
            Assert.Throws<FswException>(() => ClusterManagerServices.RidOf("riscv64", "instance[manager-1]")).Code);

    [Fact]
    public async Task The_repair_runs_the_manager_steps_on_every_manager_with_its_console_key_and_a_second_run_changes_nothing()
    {
        var report = await Operations().ProvisionAsync(default);
        var managers = report.Nodes.Where(n => n.IsManager).ToList();
        var shells = Shells(report);
        var connected = new List<(string Address, string Key)>();
        NodeConnector connect = (node, key, _) =>
        {
            connected.Add((node.Address, key));
            return Task.FromResult<INodeShell>(shells[node.InstanceId]);
        };

        var first = await Operations().InstallManagerServicesAsync(report, report.Nodes, connect, Bundle, default);

        Assert.True(first.Changed);
        Assert.Equal(["instance[manager-1]", "instance[manager-2]", "instance[manager-3]"], first.Done);
        Assert.Empty(first.Waiting);
        // Managers only, each verified with the key its console printed.
        Assert.Equal(managers.Select(n => (n.Address, "ssh-ed25519 " + FakeEc2Cloud.ConsoleHostKey(n.InstanceId))), connected);
        Assert.Equal(["linux-x64", "linux-x64", "linux-x64"], _bundlesAsked);
        Assert.Equal(3, _archives);

        var steps = NodeBootstrap.ManagerSteps.Select(s => s.Name).ToList();
        Assert.Equal(["manager-users", "manager-binaries", "api-host-key", "edge-dir", "database-master", "managerd", "api-sshd"], steps);
        var paths = new ManagerPaths("/opt/futuswarm");
        var inputs = report.Inputs!;
        var privateKey = await ApiHostKey.OpenPrivateKeyAsync(Store(inputs), default);
        foreach (var manager in managers)
        {
            var shell = shells[manager.InstanceId];
            // Every step ran and logged under the node's name.
            foreach (var step in steps.Where(s => s != "database-master" || manager.Address == "instance[manager-1]"))
                Assert.Contains(_log, l => l.StartsWith($"[{shell.Name}] {step}: ", StringComparison.Ordinal));
            Assert.Equal(privateKey, shell.Files[paths.HostKey].Content);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, shell.Files[paths.HostKey].Mode);
            Assert.Equal(report.ApiHostKey + "\n", shell.Text(paths.HostKeyPublic));
            Assert.Equal("1654:1654:750", shell.Directories[AwsDaemonConfig.EdgeStateDirectory]);
            Assert.Contains("Port 2222", shell.Text(paths.SshdConfig));
            Assert.Contains("ListenAddress 0.0.0.0", shell.Text(paths.SshdConfig));
            Assert.Contains(paths.ClusterExecutable + " managerd --config " + paths.DaemonConfig, shell.Text(paths.DaemonLauncher));
            Assert.Equal("", shell.Text(paths.DaemonEnvironment));
            Assert.Contains("ExecStart=" + paths.DaemonLauncher, shell.Text("/etc/systemd/system/futuswarm-managerd.service"));
            Assert.Equal(["futuswarm-api-sshd", "futuswarm-managerd"], shell.Running.Order());
            var config = JsonSerializer.Deserialize<DaemonConfig>(shell.Text(paths.DaemonConfig), Wire.Json)!;
            Assert.Equal(inputs.StateBucket, config.Store.Bucket);
            // The master is made once, from the first manager, before its daemon starts.
            Assert.Equal(manager.Address == "instance[manager-1]" ? 1 : 0, shell.DatabaseMasterRuns);
        }
        var m1 = shells[managers[0].InstanceId];
        var ensure = m1.Commands.FindIndex(c => c.Contains("ensure-database-master"));
        Assert.True(ensure >= 0 && ensure < m1.Commands.FindIndex(c => c is ["systemctl", "restart", "futuswarm-managerd"]));
        Assert.Contains(m1.Commands, c => c is ["sh", "-c", _, "sh", "/opt/futuswarm/managerd.env", "/opt/futuswarm/lib/cluster/Futuswarm.Cluster", "ensure-database-master", "--config", "/opt/futuswarm/managerd.json"]);
        // Nothing secret reached the log or a command line.
        var keyText = Encoding.UTF8.GetString(privateKey);
        Assert.DoesNotContain(_log, l => l.Contains("PRIVATE KEY") || l.Contains(keyText.Trim()));
        Assert.DoesNotContain(shells.Values.SelectMany(s => s.Commands).SelectMany(c => c), a => a.Contains("PRIVATE KEY"));

        foreach (var shell in shells.Values) { shell.Writes.Clear(); shell.Commands.Clear(); }
        _log.Clear();
        var second = await Operations().InstallManagerServicesAsync(report, report.Nodes, connect, Bundle, default);

        Assert.False(second.Changed);
        Assert.Equal(3, _archives); // the bundle is not made again
        Assert.All(shells.Values, s => Assert.Empty(s.Writes));
        Assert.All(shells.Values, s => Assert.DoesNotContain(s.Commands, c => c is ["systemctl", "restart", ..]));
        Assert.All(_log.Where(l => l.StartsWith('[') && !l.StartsWith("[managers]")), l => Assert.Contains(", skip (", l));
    }

    [Fact]
    public async Task A_manager_that_has_not_printed_its_host_keys_is_left_for_the_next_run()
    {
        var report = await Operations().ProvisionAsync(default);
        var managers = report.Nodes.Where(n => n.IsManager).ToList();
        var shells = Shells(report);
        var consoles = new Dictionary<string, string?>
        {
            [managers[0].InstanceId] = await _fakes.Ec2.GetConsoleOutputAsync(managers[0].InstanceId, default),
            [managers[1].InstanceId] = null,
            [managers[2].InstanceId] = "[    1.0] still booting\n",
        };
        var install = new ClusterManagerInstall((id, _) => Task.FromResult(consoles[id]),
            (node, _, _) => Task.FromResult<INodeShell>(shells[node.InstanceId]), _log.Add);
        var userData = new Cluster.Provisioning.Compute.ClusterNodeUserData(ClusterPlanner.ComputeOf(_definition));
        var byAddress = Cluster.Provisioning.Compute.ComputeNode.All(ClusterPlanner.ComputeOf(_definition)).ToDictionary(n => n.Address.ToString());

        var result = await install.RunAsync(report.Nodes, n => userData.SpecFor(byAddress[n.Address]) with { AdvertiseAddress = n.PrivateIp },
            (n, rid) => SpecOf(report, n.Address == "instance[manager-1]"), default);

        Assert.Equal(["instance[manager-1]"], result.Done);
        Assert.Equal(["instance[manager-2]", "instance[manager-3]"], result.Waiting);
        Assert.Empty(shells[managers[1].InstanceId].Commands);
        Assert.Contains(_log, l => l.Contains("instance[manager-2]") && l.Contains("left for the next RepairCluster"));
    }

    [Fact]
    public async Task An_arm_manager_gets_the_arm64_bundle()
    {
        var report = await Operations().ProvisionAsync(default);
        var shells = Shells(report, "aarch64");

        await Operations().InstallManagerServicesAsync(report, report.Nodes, (node, _, _) => Task.FromResult<INodeShell>(shells[node.InstanceId]), Bundle, default);

        Assert.Equal(["linux-arm64", "linux-arm64", "linux-arm64"], _bundlesAsked);
        Assert.All(shells.Values, s => Assert.Equal("linux-arm64-0123456789abcdef", s.Text("/opt/futuswarm/lib/cluster/.source-fingerprint")));
    }

    [Fact]
    public async Task ProvisionCluster_with_a_key_finds_booted_managers_without_waiting()
    {
        await Operations().ProvisionAsync(default);
        var nodes = await Operations().WaitForManagerHostKeysAsync(3, TimeSpan.FromMinutes(5), default); // would time the test out if it waited

        Assert.Equal(6, nodes.Count);
        Assert.DoesNotContain(_log, l => l.Contains("waiting for the first boot"));
    }
}
