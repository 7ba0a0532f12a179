using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.Swarm;

namespace Futuswarm.IntegrationTests;

/// <summary>Collection of a service's Docker secrets on the real swarm: what kept releases pin stays, the rest goes, other services' stay.</summary>
public sealed class DockerSecretsCollectionTests : IDisposable
{
    private readonly string _service = TestCluster.NewServiceName("gc");
    private readonly string _other = TestCluster.NewServiceName("gc-other");
    private readonly SwarmGateway _swarm = SwarmGateway.Connect(TestCluster.Daemon.DockerSocket);

    [Fact]
    public async Task Secrets_no_kept_release_pins_are_removed()
    {
        // The vault is not used: every version below already has its Docker secret, so none is decrypted.
        var secrets = new DockerSecrets(_swarm, null!, TestCluster.Daemon.ClusterName);
        var cluster = TestCluster.Daemon.ClusterName;
        string[] versions = ["01A", "01B", "01C", "01D"];
        foreach (var v in versions) await CreateAsync(_service, "Api__Key", v);
        await CreateAsync(_other, "Api__Key", "01A");

        var removed = await secrets.CollectAsync(_service,
            [new Dictionary<string, string> { ["Api__Key"] = "01D" }, new Dictionary<string, string> { ["Api__Key"] = "01B" }], CancellationToken.None);

        Assert.Equal(2, removed);
        var left = (await _swarm.ManagedSecretsAsync(CancellationToken.None)).Select(s => s.Spec.Name).ToHashSet();
        Assert.Contains(DockerSecretName.Of(cluster, _service, "Api__Key", "01D"), left);
        Assert.Contains(DockerSecretName.Of(cluster, _service, "Api__Key", "01B"), left);
        Assert.DoesNotContain(DockerSecretName.Of(cluster, _service, "Api__Key", "01A"), left);
        Assert.DoesNotContain(DockerSecretName.Of(cluster, _service, "Api__Key", "01C"), left);
        Assert.Contains(DockerSecretName.Of(cluster, _other, "Api__Key", "01A"), left);

        // Pinned versions are found, not made again (a vault would be needed to make one).
        var refs = await secrets.EnsureAsync(_service, new Dictionary<string, string> { ["Api__Key"] = "01D" }, CancellationToken.None);
        Assert.Equal("Api__Key", Assert.Single(refs).File.Name);
    }

    private Task CreateAsync(string service, string name, string version) =>
        _swarm.CreateSecretAsync(DockerSecretName.Of(TestCluster.Daemon.ClusterName, service, name, version), "x"u8.ToArray(), new Dictionary<string, string>
        {
            [Labels.Managed] = "true", [Labels.Service] = service, [Labels.Secret] = name, [Labels.SecretVersion] = version,
        }, CancellationToken.None);

    public void Dispose()
    {
        foreach (var s in _swarm.ManagedSecretsAsync(CancellationToken.None).GetAwaiter().GetResult()
                     .Where(s => s.Spec.Labels[Labels.Service] is var owner && (owner == _service || owner == _other)))
            _swarm.DeleteSecretAsync(s.ID, CancellationToken.None).GetAwaiter().GetResult();
        _swarm.Dispose();
    }
}
