using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary><c>install-api-host-key</c>, a manager's first-boot form of the api-host-key step, against a directory
/// store and a local key: the cluster's key written 0600 / 0644 (the public half as the SSH step writes it), skipped
/// when in place, never printed.</summary>
public class InstallApiHostKeyCommandTests
{
    [Fact]
    public async Task Installs_the_clusters_key_from_the_store_then_skips_and_prints_no_secret()
    {
        using var dir = new TempDirectory();
        var cluster = new FakeClusterStores(dir.Sub("stores")).Open("prod", "futuswarm-prod-state", "arn:aws:kms:eu-west-1:123456789012:key/test");
        var (publicKey, _) = await ApiHostKey.EnsureAsync(cluster, default);
        var privateKey = await ApiHostKey.OpenPrivateKeyAsync(cluster, default);
        var key = Path.Combine(dir.Path, "opt", "ssh", "api_host_ed25519_key");
        var output = new List<string>();

        Assert.Equal(0, await InstallApiHostKeyCommand.RunAsync(cluster, key, output.Add, default));

        Assert.Equal(privateKey, File.ReadAllBytes(key));
        Assert.Equal(ApiSshdStep.HostKeyPublicFile(new ApiHostKeySource(publicKey, _ => throw new InvalidOperationException())), File.ReadAllBytes(key + ".pub"));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(key));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(key + ".pub"));
        Assert.False(File.Exists(key + ".tmp"));

        Assert.Equal(0, await InstallApiHostKeyCommand.RunAsync(cluster, key, output.Add, default));
        Assert.Contains("nothing changed", output[^1]);
        Assert.DoesNotContain(output, l => l.Contains("PRIVATE KEY") || l.Contains(publicKey.Split(' ')[1]));
    }

    [Fact]
    public async Task Replaces_a_different_key_and_without_one_in_the_store_is_FSW6055()
    {
        using var dir = new TempDirectory();
        var stores = new FakeClusterStores(dir.Sub("stores"));
        var key = Path.Combine(dir.Path, "api_host_ed25519_key");
        var empty = stores.Open("prod", "empty-bucket", "arn:aws:kms:eu-west-1:123456789012:key/test");
        var e = await Assert.ThrowsAsync<FswException>(() => InstallApiHostKeyCommand.RunAsync(empty, key, _ => { }, default));
        Assert.Equal(ErrorCodes.ClusterStateMissing, e.Code);
        Assert.False(File.Exists(key));

        File.WriteAllText(key, "another private key");
        File.WriteAllText(key + ".pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAnotherKeyAnotherKeyAnotherKeyAnother00 other\n");
        var cluster = stores.Open("prod", "futuswarm-prod-state", "arn:aws:kms:eu-west-1:123456789012:key/test");
        var (publicKey, _) = await ApiHostKey.EnsureAsync(cluster, default);
        var output = new List<string>();
        await InstallApiHostKeyCommand.RunAsync(cluster, key, output.Add, default);
        Assert.Equal(publicKey + "\n", File.ReadAllText(key + ".pub"));
        Assert.Equal(await ApiHostKey.OpenPrivateKeyAsync(cluster, default), File.ReadAllBytes(key));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(key));
        Assert.Contains("installed", output.Single());
    }
}
