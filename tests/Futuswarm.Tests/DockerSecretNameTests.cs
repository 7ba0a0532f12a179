using System.Text.RegularExpressions;
using Futuswarm.Cluster.Swarm;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>Docker secret names: within Swarm's limit, one per (cluster, service, name, version), revealing no name or value.</summary>
public class DockerSecretNameTests
{
    private const string Cluster = "local";
    private const string Service = "shop";
    private const string Name = "Stripe__ApiKey";
    private const string Version = "01JABCDEFGHJKMNPQRSTVWXYZ0";
    private static readonly string LongService = "s" + new string('x', Validation.MaxServiceNameLength - 2) + "z";

    [Fact]
    public void FitsSwarmsLimitForTheLongestServiceName()
    {
        Assert.Equal(40, LongService.Length);
        Assert.Null(Validation.CheckServiceName(LongService));
        var name = DockerSecretName.Of("aws-production-cluster", LongService, new string('N', Validation.MaxSecretNameLength), Version);
        Assert.True(name.Length <= DockerSecretName.MaxLength, $"{name.Length} characters: {name}");
        Assert.Equal(64, DockerSecretName.MaxLength);
    }

    [Fact]
    public void IsAValidDockerObjectName()
    {
        // Docker's rule for object names (secrets, configs, services).
        var valid = new Regex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*\\z");
        Assert.Matches(valid, DockerSecretName.Of(Cluster, Service, Name, Version));
        Assert.Matches(valid, DockerSecretName.Of(Cluster, LongService, "a.b-c_d", Version));
    }

    [Fact]
    public void IsDeterministic() =>
        Assert.Equal(DockerSecretName.Of(Cluster, Service, Name, Version), DockerSecretName.Of(Cluster, Service, Name, Version));

    [Fact]
    public void StartsWithTheService()
    {
        Assert.StartsWith(Service + ".", DockerSecretName.Of(Cluster, Service, Name, Version));
        Assert.StartsWith(LongService + ".", DockerSecretName.Of(Cluster, LongService, Name, Version));
    }

    [Fact]
    public void DiffersByEachPart()
    {
        var names = new[]
        {
            DockerSecretName.Of(Cluster, Service, Name, Version),
            DockerSecretName.Of("aws", Service, Name, Version),
            DockerSecretName.Of(Cluster, "shop2", Name, Version),
            DockerSecretName.Of(Cluster, Service, "Stripe__ApiKey2", Version),
            DockerSecretName.Of(Cluster, Service, "stripe__apikey", Version),
            DockerSecretName.Of(Cluster, Service, Name, "01JABCDEFGHJKMNPQRSTVWXYZ1"),
        };
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void FieldBoundariesMatter()
    {
        // Moving characters between neighbouring parts must not give the same name.
        Assert.NotEqual(DockerSecretName.Of("ab", "c", "d", "e"), DockerSecretName.Of("a", "bc", "d", "e"));
        Assert.NotEqual(DockerSecretName.Of("a", "b", "cd", "e"), DockerSecretName.Of("a", "b", "c", "de"));
    }

    [Fact]
    public void ShowsNeitherTheSecretNameNorTheVersion()
    {
        var name = DockerSecretName.Of(Cluster, Service, Name, Version);
        Assert.DoesNotContain(Name, name, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Stripe", name, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Version, name, StringComparison.OrdinalIgnoreCase);
        // After the service only a hash: nothing a value could be read back from.
        Assert.Matches("^shop\\.[0-9a-f]+\\z", name);
    }
}
