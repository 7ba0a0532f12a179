extern alias tasks;

using Futuswarm.Cluster.Provisioning.Operations;
using tasks::Futuswarm.Tasks.Profiles;

namespace Futuswarm.Tests;

/// <summary>The profile ProvisionCluster and LocalCluster write is the one the SDK's tasks read, and a re-run writes nothing.</summary>
public sealed class DeveloperProfileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("futuswarm-profile-");
    private const string HostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL2bBZ1tGdd/tik/TD2uxuafVZB2izwecphDXc7bo2m/ futuswarm-prod-api";

    public void Dispose() => _dir.Delete(recursive: true);

    private static DeveloperProfile Prod(string manager = "198.51.100.20:2222") =>
        new("prod", manager, "futuswarm", HostKey, null, "docker.io", null, "apps.example.com");

    [Fact]
    public async Task The_written_profile_loads_as_the_tasks_read_it_with_the_host_key_pinned()
    {
        var written = await Prod().WriteAsync(_dir.FullName);

        Assert.Equal(2, written.Count);
        var loaded = ClusterProfile.Load(_dir.FullName, "prod");
        Assert.Equal("198.51.100.20:2222", loaded.Manager);
        Assert.Equal("futuswarm-prod", loaded.HostKeyAlias);
        Assert.Equal("docker.io", loaded.Registry);
        Assert.Equal("apps.example.com", loaded.BaseDomain);
        Assert.Null(loaded.BaseImage);
        Assert.Equal("futuswarm-prod ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL2bBZ1tGdd/tik/TD2uxuafVZB2izwecphDXc7bo2m/\n",
            File.ReadAllText(Path.Combine(_dir.FullName, "prod.known_hosts")));
    }

    [Fact]
    public async Task A_rerun_writes_nothing_and_a_moved_manager_rewrites_only_the_profile()
    {
        await Prod().WriteAsync(_dir.FullName);
        var knownHosts = Path.Combine(_dir.FullName, "prod.known_hosts");
        var before = File.GetLastWriteTimeUtc(knownHosts);

        Assert.Empty(await Prod().WriteAsync(_dir.FullName));
        Assert.Equal([Path.Combine(_dir.FullName, "prod.json")], await Prod("198.51.100.21:2222").WriteAsync(_dir.FullName));
        Assert.Equal(before, File.GetLastWriteTimeUtc(knownHosts));
    }
}
