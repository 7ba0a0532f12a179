using Futuswarm.Cluster.Swarm;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

public class SpecHashTests
{
    private const string Image = "localhost:5000/hello-swarm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string OtherImage = "localhost:5000/hello-swarm@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    private static ServiceSettings Settings() => new()
    {
        Replicas = 1,
        Port = 8080,
        HealthCheckPath = "/health",
        Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["A"] = "1", ["B"] = "2" },
    };

    private static SortedDictionary<string, string> Env(params (string, string)[] vars)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in vars) d[k] = v;
        return d;
    }

    [Fact]
    public void DeterministicForEqualInput()
    {
        Assert.Equal(SpecHash.Compute(Image, Settings()), SpecHash.Compute(Image, Settings()));
        Assert.Matches("^sha256:[0-9a-f]{64}$", SpecHash.Compute(Image, Settings()));
    }

    [Fact]
    public void EnvironmentInsertionOrderDoesNotMatter()
    {
        var a = Settings() with { Environment = Env(("A", "1"), ("B", "2")) };
        var b = Settings() with { Environment = Env(("B", "2"), ("A", "1")) };
        Assert.Equal(SpecHash.Compute(Image, a), SpecHash.Compute(Image, b));
    }

    public static TheoryData<string, ServiceSettings> Changes() => new()
    {
        { "replicas", Settings() with { Replicas = 2 } },
        { "port", Settings() with { Port = 8081 } },
        { "no port", Settings() with { Port = null } },
        { "health path", Settings() with { HealthCheckPath = "/" } },
        { "env value", Settings() with { Environment = Env(("A", "1"), ("B", "3")) } },
        { "env added", Settings() with { Environment = Env(("A", "1"), ("B", "2"), ("C", "")) } },
        { "env removed", Settings() with { Environment = Env(("A", "1")) } },
        { "access", Settings() with { Access = "sso" } },
        { "domains", Settings() with { Domains = ["www.example.com"] } },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void ChangesWithTheSettings(string what, ServiceSettings changed) =>
        Assert.True(SpecHash.Compute(Image, Settings()) != SpecHash.Compute(Image, changed), $"spec hash did not change with {what}");

    [Fact]
    public void ChangesWithTheImage() => Assert.NotEqual(SpecHash.Compute(Image, Settings()), SpecHash.Compute(OtherImage, Settings()));

    [Fact]
    public void TemplateIgnoresReplicas()
    {
        Assert.Equal(SpecHash.Template(Image, Settings()), SpecHash.Template(Image, Settings() with { Replicas = 7 }));
        Assert.NotEqual(SpecHash.Compute(Image, Settings()), SpecHash.Compute(Image, Settings() with { Replicas = 7 }));
    }

    [Fact]
    public void TemplateChangesWithWhatMakesATask()
    {
        var t = SpecHash.Template(Image, Settings());
        Assert.NotEqual(t, SpecHash.Template(Image, Settings() with { Environment = Env(("A", "2"), ("B", "2")) }));
        Assert.NotEqual(t, SpecHash.Template(OtherImage, Settings()));
        Assert.NotEqual(t, SpecHash.Template(Image, Settings() with { Port = 9090 }));
        Assert.NotEqual(t, SpecHash.Template(Image, Settings() with { HealthCheckPath = "/ready" }));
    }

    [Fact]
    public void SameAfterTheWire()
    {
        // The manager hashes the settings it deserialized; a stored release must hash alike after a round trip.
        // (Keys whose ordinal and linguistic orders agree: a deserialized SortedDictionary gets the default
        // comparer, which is ordinal only in the manager's InvariantGlobalization process.)
        var s = Settings() with { Environment = Env(("C", "1"), ("A", "2"), ("B_X", "3")) };
        var back = System.Text.Json.JsonSerializer.Deserialize<ServiceSettings>(System.Text.Json.JsonSerializer.Serialize(s, Wire.Json), Wire.Json)!;
        Assert.Equal(SpecHash.Compute(Image, s), SpecHash.Compute(Image, back));
    }
}
