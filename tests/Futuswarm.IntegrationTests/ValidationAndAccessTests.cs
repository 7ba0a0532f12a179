using Futuswarm.Cluster.Access;

namespace Futuswarm.IntegrationTests;

/// <summary>Bad input and other users' services: coded errors, and nothing changes.</summary>
public sealed class ValidationAndAccessTests : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("valid"));

    [Fact]
    public async Task Invalid_name_is_FSW2001_before_anything_is_built_or_sent()
    {
        var result = await Dotnet.DeployAsync(_app.ProjectFile, "-p:SwarmServiceName=Bad_Name");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error FSW2001", result.Output);
        Assert.Contains("SwarmServiceName", result.Output);
    }

    [Fact]
    public async Task Invalid_name_sent_directly_is_refused_by_the_manager()
    {
        var (stdout, _) = await RawSsh.SendAsync("deploy",
            "{\"protocol\":1,\"service\":\"Bad;name\",\"contentKey\":\"sha256:00\",\"spec\":{\"replicas\":1,\"port\":8080,\"healthCheckPath\":\"/\",\"environment\":{},\"access\":\"public\",\"domains\":[]}}");
        Assert.Contains("\"code\":\"FSW2001\"", stdout);
    }

    [Fact]
    public async Task Bad_port_is_FSW2002()
    {
        var result = await Dotnet.DeployAsync(_app.ProjectFile, "-p:SwarmPort=70000");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error FSW2002", result.Output);
        Assert.Null(await SwarmService.InspectAsync(_app.ServiceName));
    }

    [Fact]
    public async Task Another_users_service_is_FSW3001_and_stays_untouched()
    {
        // The admin deploys first and so owns the name.
        var owner = await Dotnet.DeployAsync(_app.ProjectFile);
        Assert.True(owner.ExitCode == 0, owner.Output);
        var before = (await SwarmService.InspectAsync(_app.ServiceName))!.Version.Index;

        // Bob is a user of the cluster, not an owner of this service.
        using var bob = new SshKeyPair();
        await AddUserAsync("bob-" + Guid.NewGuid().ToString("N")[..6], bob.PublicKey);
        using var profile = new ProfileVariant(p => p["identityFile"] = bob.PrivateKeyFile);
        _app.SetGreeting("Bob was here");
        var result = await Dotnet.DeployAsync(_app.ProjectFile, profile.Args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error FSW3001", result.Output);
        Assert.Contains("belongs to admin", result.Output);
        Assert.Equal(before, (await SwarmService.InspectAsync(_app.ServiceName))!.Version.Index);
        Assert.DoesNotContain("Bob was here", (await Edge.GetServiceAsync(_app.ServiceName)).Body);
    }

    /// <summary>Users are added to acl.json, the only source of keys; the daemon (from the store) and sshd (from
    /// its local mirror, written with it) read it on every request.</summary>
    private static async Task AddUserAsync(string name, string key)
    {
        var repo = new AclRepository(ClusterState.Store);
        var acl = await repo.LoadAsync(CancellationToken.None);
        acl.Users.Add(new AclUser { Name = name, Keys = [key] });
        await repo.SaveAsync(acl, CancellationToken.None);
    }

    public void Dispose()
    {
        SwarmService.RemoveAsync(_app.ServiceName).GetAwaiter().GetResult();
        _app.Dispose();
    }
}
