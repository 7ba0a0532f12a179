using System.Text;
using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Operations;

namespace Futuswarm.Tests;

/// <summary>
/// ProvisionCluster with the build's bundles: the managers' bundle goes into the state bucket once, and the managers it
/// launches carry their services' first boot in their user data (within EC2's 16 KiB, no secret); without bundles
/// or without the edge image nothing is uploaded and the user data is the swarm's only.
/// </summary>
public sealed class ClusterManagerFirstBootTests() : ExampleClusterTests("futuswarm-firstboot-tests-")
{
    private static readonly byte[] BundleBytes = "a self-contained tar.gz"u8.ToArray();
    private readonly List<string> _asked = [];
    private int _archives;

    private ManagerBundle Bundle(string rid)
    {
        _asked.Add(rid);
        return new ManagerBundle($"{rid}-0123456789abcdef", _ => { _archives++; return Task.FromResult(BundleBytes); });
    }

    private string UserDataOf(ProvisionReport report, string node) =>
        _fakes.Ec2.LaunchOf(report.Nodes.Single(n => n.Address == node).InstanceId).UserData;

    private string BucketFile(ProvisionReport report, string key) =>
        Path.Combine(_fakes.Stores.BucketDirectory(report.Inputs!.StateBucket), key);

    [Fact]
    public async Task The_bundle_is_uploaded_once_and_each_manager_sets_up_its_services_at_first_boot()
    {
        var report = await Operations().ProvisionAsync(Bundle, default);

        var key = $"{ManagerBundleUpload.Prefix}/{_asked.Single()}-0123456789abcdef.tar.gz";
        Assert.Equal(BundleBytes, File.ReadAllBytes(BucketFile(report, key)));
        Assert.Equal(1, _archives);
        foreach (var manager in report.Nodes.Where(n => n.IsManager))
        {
            var text = UserDataOf(report, manager.Address);
            Assert.True(Encoding.UTF8.GetByteCount(text) <= InstanceKind.MaxUserDataBytes, $"{manager.Address}: {Encoding.UTF8.GetByteCount(text)} bytes");
            Assert.Contains(report.Inputs!.StateBucket, text);
            Assert.Contains(key, text);
            Assert.Contains("\"install-api-host-key\"", text);
            Assert.DoesNotContain("PRIVATE KEY", text);
            Assert.DoesNotMatch(@"(?i)""password""\s*:|password=|secretaccesskey", text); // sshd_config's "PasswordAuthentication no" is no secret
            Assert.DoesNotMatch(@"SWMTKN-1-[A-Za-z0-9]", text);
            Assert.Contains("futuswarm-managerd.service", text);
        }
        Assert.DoesNotContain("install-api-host-key", UserDataOf(report, report.Nodes.First(n => !n.IsManager).Address));

        var again = await Operations().ProvisionAsync(Bundle, default);
        Assert.Empty(again.Applied.Changes);
        Assert.Equal(1, _archives); // in the bucket already: not published or uploaded again
        Assert.Contains(_log, l => l.Contains($"{key}: exists"));
    }

    [Fact]
    public async Task Without_bundles_nothing_is_uploaded_and_managers_get_only_the_swarm()
    {
        var plain = await Operations().ProvisionAsync(default);
        Assert.DoesNotContain("install-api-host-key", UserDataOf(plain, ComputeNode.Manager(1).ToString()));
        Assert.False(Directory.Exists(BucketFile(plain, ManagerBundleUpload.Prefix)));
        Assert.Empty(_asked);
    }

    [Fact]
    public async Task Without_the_edge_image_no_bundle_is_asked_for()
    {
        var report = await Operations(_definition with { EdgeImage = null }).ProvisionAsync(Bundle, default);
        Assert.Empty(_asked);
        Assert.DoesNotContain("install-api-host-key", UserDataOf(report, ComputeNode.Manager(1).ToString()));
        Assert.Contains(_log, l => l.Contains("no edgeImage"));
    }
}
