using System.Text;
using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.Provisioning;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.LoadBalancer;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// The whole cluster against the fake clouds, as ProvisionCluster and DestroyCluster run it: every layer, the
/// store's seeds (first admins, the API host key), a second run that changes nothing, a failure at every mutating
/// call then a re-run without duplicates, and a destroy that keeps only what it promises to.
/// </summary>
public sealed class ClusterOperationsTests() : ExampleClusterTests("futuswarm-ops-tests-")
{
    private string Bucket => ClusterPlanner.StateOf(_definition, ClusterCloudsFactory.OfflineAccountId).BucketName;

    private ClusterStore Store() => _fakes.Stores.Open(_definition.Name, Bucket, "unused by the fake");

    [Fact]
    public async Task A_provision_from_nothing_creates_every_layer_and_seeds_the_store()
    {
        var report = await Operations().ProvisionAsync(default);

        Assert.True(report.AdminsSeeded);
        Assert.True(report.ApiHostKeyCreated);
        Assert.StartsWith("ssh-ed25519 ", report.ApiHostKey);
        Assert.Contains(report.Applied.Changes, c => c.Address == Cluster.Provisioning.State.StateAddresses.StateBucket);
        Assert.Contains(report.Applied.Changes, c => c.Address.ToString() == "vpc");
        Assert.All(report.Applied.Changes, c => Assert.Equal(ChangeAction.Create, c.Action));
        Assert.DoesNotContain(_fakes.MutatingCalls, c => c.Failed);
        // The nodes came before the load balancer in the same run: the managers, and only they, are its targets.
        var managers = _fakes.Ec2.AllInstances.Where(i => i.Tags[Cluster.Provisioning.Compute.ComputeNode.NodeRoleTag] == "manager").ToList();
        Assert.Equal(3, managers.Count);
        Assert.Equal(6, _fakes.Ec2.TaggedInstances(_definition.Name).Count);
        Assert.Equal(managers.Select(i => $"{i.InstanceId}:80").Order(StringComparer.Ordinal), _fakes.ElbV2.RegisteredTargets);
        Assert.Equal(["target[manager-1]", "target[manager-2]", "target[manager-3]"],
            report.Applied.Changes.Where(c => c.Address.Kind == TargetRegistrationKind.KindName).Select(c => c.Address.ToString()));

        var acl = await new AclRepository(Store().Store).LoadAsync(default);
        Assert.Equal(["alice", "bob"], acl.Users.Select(u => u.Name));
        Assert.All(acl.Users, u => Assert.True(u.Admin));
        Assert.Equal(2, acl.Users[0].Keys.Count);
    }

    [Fact]
    public async Task The_API_host_key_is_sealed_in_the_store_and_opens_to_the_private_half_of_the_published_key()
    {
        var report = await Operations().ProvisionAsync(default);

        var stored = Directory.EnumerateFiles(_fakes.Stores.BucketDirectory(Bucket), "*", SearchOption.AllDirectories)
            .Select(File.ReadAllBytes).Select(Encoding.UTF8.GetString).ToList();
        Assert.DoesNotContain(stored, s => s.Contains(PrivateKeyLabel, StringComparison.Ordinal));
        var privateKey = await ApiHostKey.OpenPrivateKeyAsync(Store(), default);
        var text = Encoding.UTF8.GetString(privateKey);
        Assert.StartsWith($"-----BEGIN OPENSSH {PrivateKeyLabel}-----", text);
        Assert.Equal(report.ApiHostKey.Split(' ')[1], PublicHalf(text).Split(' ')[1]);
    }

    [Fact]
    public async Task A_second_provision_makes_no_mutating_call_and_keeps_the_ACL_and_host_key()
    {
        var first = await Operations().ProvisionAsync(default);
        var acl = new AclRepository(Store().Store);
        var edited = await acl.LoadAsync(default);
        edited.Users.RemoveAll(u => u.Name == "bob"); // managed through the API since: the definition must not undo it
        await acl.SaveAsync(edited, default);
        _fakes.ResetCalls();

        var second = await Operations().ProvisionAsync(default);

        Assert.Empty(_fakes.MutatingCalls);
        Assert.True(second.Applied.IsEmpty);
        Assert.False(second.AdminsSeeded);
        Assert.False(second.ApiHostKeyCreated);
        Assert.Equal(first.ApiHostKey, second.ApiHostKey);
        Assert.Equal(["alice"], (await acl.LoadAsync(default)).Users.Select(u => u.Name));
        // All that is left is the HTTPS listener, waiting for the certificate (the plan names the existing key and
        // opens the store: no false drift of the managers' policy or the database admin).
        var waiting = Assert.Single((await Operations().PlanAsync(default)).Changes);
        Assert.Equal(LoadBalancerAddresses.HttpsListener, waiting.Address);
        Assert.Equal(waiting.Address, Assert.Single(second.Deferred).Address);
    }

    [Fact]
    public async Task Once_the_certificate_is_issued_the_next_run_creates_only_the_HTTPS_listener_and_then_nothing()
    {
        var first = await Operations().ProvisionAsync(default);
        Assert.Contains("DNS validation", Assert.Single(first.Deferred).Reason);
        _fakes.Acm.Issue(Assert.Single(_fakes.Acm.Certificates).Arn);
        _fakes.ResetCalls();

        var second = await Operations().ProvisionAsync(default);

        Assert.Equal([LoadBalancerAddresses.HttpsListener], second.Applied.Changes.Select(c => c.Address));
        Assert.Empty(second.Deferred);
        Assert.Equal(["CreateListener"], _fakes.MutatingCalls.Select(c => c.Name));
        _fakes.ResetCalls();
        Assert.True((await Operations().ProvisionAsync(default)).Applied.IsEmpty);
        Assert.True((await Operations().PlanAsync(default)).IsEmpty);
        Assert.Empty(_fakes.MutatingCalls);
    }

    [Fact]
    public async Task A_failure_at_any_mutating_call_then_a_rerun_completes_without_duplicates()
    {
        await Operations().ProvisionAsync(default);
        var callsPerFake = _fakes.All.Select(f => f.Calls.Count).ToList();
        var expected = _fakes.Tagged(_definition.Name).Select(Kind).Order().ToList();
        Assert.True(callsPerFake.Sum() > 20, $"{callsPerFake.Sum()} mutating calls");

        // Every mutating call of the run belongs to one fake: refusing each fake's k-th call covers them all.
        for (var f = 0; f < callsPerFake.Count; f++)
            for (var k = 1; k <= callsPerFake[f]; k++)
            {
                var fakes = new FakeClusterClouds(_definition.Region, ClusterPlanner.NetworkOf(_definition).Zones,
                    Path.Combine(_stores.FullName, $"run-{f}-{k}"));
                var ops = new ClusterOperations(_definition, fakes.Clouds, _ => { }, WaitOptions.Immediate);
                fakes.All[f].FailMutatingCall(k);

                var failure = await Assert.ThrowsAsync<FswException>(() => ops.ProvisionAsync(default));
                await ops.ProvisionAsync(default);

                var where = $"{fakes.All[f].GetType().Name} call {k} ({failure.Code})";
                Assert.True(expected.SequenceEqual(fakes.Tagged(_definition.Name).Select(Kind).Order()), $"after a failure at {where}: other resources than a clean run");
                fakes.ResetCalls();
                Assert.True((await ops.ProvisionAsync(default)).Applied.IsEmpty, $"after a failure at {where}: a third run still changed something");
                Assert.Empty(fakes.MutatingCalls);
            }
    }

    [Fact]
    public async Task The_swarm_repair_starts_at_the_first_manager_with_the_host_key_its_console_printed()
    {
        var report = await Operations().ProvisionAsync(default);
        var manager = report.Nodes.Single(n => n.Address == "instance[manager-1]");
        var calls = new List<(string Address, string Key)>();

        var stopped = await Assert.ThrowsAsync<OperationCanceledException>(() => Operations().RepairSwarmAsync(report.Nodes, (node, key, ct) =>
        {
            calls.Add((node.Address, key));
            throw new OperationCanceledException("stop at the first connection");
        }, default));

        Assert.Equal([("instance[manager-1]", "ssh-ed25519 " + FakeEc2Cloud.ConsoleHostKey(manager.InstanceId))], calls);
        Assert.NotNull(manager.PublicIp);
    }

    [Fact]
    public async Task Drift_across_layers_is_repaired_with_exactly_the_needed_calls()
    {
        await Operations().ProvisionAsync(default);
        var ours = new[] { Ec2Filter.Tag(ClusterTags.Cluster, _definition.Name) };
        var nodes = (await _fakes.Ec2.DescribeSecurityGroupsAsync(ours, default)).Single(g => g.Tags[ClusterTags.Role] == "security-group[nodes]");
        var gateway = (await _fakes.Ec2.DescribeInternetGatewaysAsync(ours, default)).Single();
        var worker = (await ClusterNodes.ListAsync(_fakes.Ec2, _definition.Name, default)).Single(n => n.Address == "instance[worker-2]");
        // Someone deletes an SSH rule and detaches the gateway; a worker's machine is terminated.
        await _fakes.Ec2.RevokeSecurityGroupIngressAsync(nodes.GroupId, [nodes.Ingress.First(r => r.FromPort == 22)], default);
        await _fakes.Ec2.DetachInternetGatewayAsync(gateway.InternetGatewayId, gateway.Attachments.Single().VpcId, default);
        _fakes.Ec2.TerminateBehindTheBack(worker.InstanceId);
        _fakes.ResetCalls();

        var status = await Operations().StatusAsync(default);
        var repaired = await Operations().ProvisionAsync(default);

        // Status names each drift (besides the HTTPS listener, which waits for the certificate from the start).
        Assert.Equal(["instance[worker-2]", "internet-gateway", "security-group[nodes]"],
            status.Drift.Changes.Where(c => c.Address != LoadBalancerAddresses.HttpsListener).Select(c => c.Address.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(["AttachInternetGateway", "AuthorizeSecurityGroupIngress", "RunInstances"], // in dependency order
            _fakes.MutatingCalls.Select(c => c.Name).ToList());
        Assert.Contains(repaired.Nodes, n => n.Address == "instance[worker-2]" && n.InstanceId != worker.InstanceId);
        _fakes.ResetCalls();
        await Operations().ProvisionAsync(default);
        Assert.Empty(_fakes.MutatingCalls);
    }

    [Fact]
    public async Task Destroy_without_or_with_a_wrong_confirmation_changes_nothing()
    {
        await Operations().ProvisionAsync(default);
        _fakes.ResetCalls();

        var missing = await Assert.ThrowsAsync<FswException>(() => Operations().DestroyAsync(null, destroyState: false, default));
        var wrong = await Assert.ThrowsAsync<FswException>(() => Operations().DestroyAsync("staging", destroyState: false, default));

        Assert.Equal(ErrorCodes.DestroyNotConfirmed, missing.Code);
        Assert.Equal(ErrorCodes.DestroyNotConfirmed, wrong.Code);
        Assert.Contains("--confirm prod", wrong.Message);
        Assert.Empty(_fakes.MutatingCalls);
        Assert.Equal(0, _fakes.All.Sum(f => f.ReadCount)); // refused before anything was even read
    }

    [Fact]
    public async Task Destroy_leaves_nothing_tagged_but_the_state_bucket_key_and_database_snapshot_and_a_new_provision_reuses_them()
    {
        var first = await Operations().ProvisionAsync(default);

        var plan = await Operations().PlanDestroyAsync(destroyState: false, default);
        var destroyed = await Operations().DestroyAsync("prod", destroyState: false, default);

        Assert.Equal(plan.Changes.Select(c => c.Address), destroyed.Changes.Select(c => c.Address));
        Assert.Equal(["db-snapshot", "kms-key", "state-bucket"], _fakes.Tagged(_definition.Name).Select(Kind).Order());
        Assert.DoesNotContain(_fakes.MutatingCalls, c => c.Failed);

        // The state outlived the machines: a new provision finds the same admins and host key.
        var again = await Operations().ProvisionAsync(default);
        Assert.False(again.AdminsSeeded);
        Assert.Equal(first.ApiHostKey, again.ApiHostKey);
        Assert.DoesNotContain(again.Applied.Changes, c => c.Address.Kind is "kms-key" or "state-bucket");
    }

    // Assembled at run time: the repository holds no private-key-shaped text, only the key ssh-keygen makes in the test.
    private static readonly string PrivateKeyLabel = string.Join(' ', "PRIVATE", "KEY");

    private static string Kind(string tagged) => tagged.Split(' ')[0];

    private static string PublicHalf(string privateKey)
    {
        var dir = Directory.CreateTempSubdirectory("futuswarm-key-");
        try
        {
            var path = Path.Combine(dir.FullName, "k");
            File.WriteAllText(path, privateKey);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var start = new System.Diagnostics.ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true };
            foreach (var a in new[] { "-y", "-f", path }) start.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return output.Trim();
        }
        finally { dir.Delete(recursive: true); }
    }
}
