using System.Security.Cryptography;
using System.Text.Json;
using Docker.DotNet.Models;
using Futuswarm.Cluster.Swarm;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>Secrets in the spec hash (versions, never values) and in the service spec (files, never environment variables).</summary>
public class SecretSpecTests
{
    private const string Image = "localhost:5000/hello-swarm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Network = "futuswarm-edge";
    private const string Secret = "sk_live_Plaintext-Must-Never-Appear-0123456789";

    /// <summary>
    /// SpecHash.Compute(Image, Settings()) without secrets: the SHA-256 of the pre-secrets document
    /// {"v":1,"image":...,"settings":{"replicas":2,"port":8080,"healthCheckPath":"/health","environment":{"A":"1","B":"2"},"access":"public","domains":[]}}
    /// (checked outside .NET). If this changes, upgrading the daemon redeploys every running service.
    /// </summary>
    private const string HashWithoutSecrets = "sha256:7a3ce93e7a92be06449edcafd4d27838a202307a7a0c74bc0167b9c6ddd3f33c";

    private static ServiceSettings Settings() => new()
    {
        Replicas = 2,
        Port = 8080,
        HealthCheckPath = "/health",
        Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["A"] = "1", ["B"] = "2" },
    };

    private static Dictionary<string, string> Versions(params (string Name, string Version)[] pins) =>
        pins.ToDictionary(p => p.Name, p => p.Version, StringComparer.Ordinal);

    // ---- SpecHash ----

    [Fact]
    public void WithoutSecretsTheHashIsTheOneBeforeSecrets()
    {
        Assert.Equal(HashWithoutSecrets, SpecHash.Compute(Image, Settings()));
        Assert.Equal(HashWithoutSecrets, SpecHash.Compute(Image, Settings(), null));
        Assert.Equal(HashWithoutSecrets, SpecHash.Compute(Image, Settings(), new Dictionary<string, string>()));
        Assert.Equal(HashWithoutSecrets, SpecHash.Compute(Image, Settings(), new SortedDictionary<string, string>()));
    }

    [Fact]
    public void WithoutSecretsTheHashedDocumentIsThePreSecretsOne()
    {
        // The document of the code before secrets: version, image and settings, nothing else.
        var settings = Settings();
        var doc = JsonSerializer.SerializeToUtf8Bytes(new { v = SpecHash.BuilderVersion, image = Image, settings }, Wire.Json);
        var old = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(doc));
        Assert.Equal(old, SpecHash.Compute(Image, settings, new Dictionary<string, string>()));
        Assert.Equal(SpecHash.Template(Image, settings), SpecHash.Template(Image, settings, new Dictionary<string, string>()));
        Assert.Equal(SpecHash.Template(Image, settings), SpecHash.Template(Image, settings, null));
    }

    [Fact]
    public void SecretVersionsChangeTheHash()
    {
        var none = SpecHash.Compute(Image, Settings());
        var one = SpecHash.Compute(Image, Settings(), Versions(("Stripe__ApiKey", "01JAAAAAAAAAAAAAAAAAAAAAAA")));
        Assert.NotEqual(none, one);
        Assert.Matches("^sha256:[0-9a-f]{64}$", one);
    }

    [Fact]
    public void EachVersionHasItsOwnHash()
    {
        var hashes = new[]
        {
            SpecHash.Compute(Image, Settings(), Versions(("A", "01JAAAAAAAAAAAAAAAAAAAAAAA"))),
            SpecHash.Compute(Image, Settings(), Versions(("A", "01JBBBBBBBBBBBBBBBBBBBBBBB"))),
            SpecHash.Compute(Image, Settings(), Versions(("B", "01JAAAAAAAAAAAAAAAAAAAAAAA"))),
            SpecHash.Compute(Image, Settings(), Versions(("A", "01JAAAAAAAAAAAAAAAAAAAAAAA"), ("B", "01JAAAAAAAAAAAAAAAAAAAAAAA"))),
        };
        Assert.Equal(hashes.Length, hashes.Distinct().Count());
    }

    [Fact]
    public void TheOrderOfSecretsDoesNotMatter()
    {
        var ab = new Dictionary<string, string> { ["A"] = "01JA", ["B"] = "01JB", ["a"] = "01JC" };
        var ba = new Dictionary<string, string> { ["a"] = "01JC", ["B"] = "01JB", ["A"] = "01JA" };
        var reversed = new SortedDictionary<string, string>(ab, Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x)));
        Assert.Equal(SpecHash.Compute(Image, Settings(), ab), SpecHash.Compute(Image, Settings(), ba));
        Assert.Equal(SpecHash.Compute(Image, Settings(), ab), SpecHash.Compute(Image, Settings(), reversed));
    }

    [Fact]
    public void TheTemplateIgnoresReplicasButNotSecrets()
    {
        var v1 = Versions(("A", "01JAAAAAAAAAAAAAAAAAAAAAAA"));
        var v2 = Versions(("A", "01JBBBBBBBBBBBBBBBBBBBBBBB"));
        Assert.Equal(SpecHash.Template(Image, Settings(), v1), SpecHash.Template(Image, Settings() with { Replicas = 9 }, v1));
        Assert.NotEqual(SpecHash.Template(Image, Settings(), v1), SpecHash.Template(Image, Settings(), v2));
        Assert.NotEqual(SpecHash.Template(Image, Settings()), SpecHash.Template(Image, Settings(), v1));
        Assert.NotEqual(SpecHash.Compute(Image, Settings(), v1), SpecHash.Compute(Image, Settings() with { Replicas = 9 }, v1));
    }

    // ---- ServiceSpecBuilder ----

    /// <summary>What DockerSecrets.EnsureAsync makes for a pinned version.</summary>
    private static SecretReference Reference(string name, string version) => new()
    {
        SecretID = "id-" + name,
        SecretName = DockerSecretName.Of("local", "shop", name, version),
        File = new SecretReferenceFileTarget { Name = name, UID = "0", GID = "0", Mode = 0x124 },
    };

    private static ServiceSpec Build(IReadOnlyList<SecretReference>? secrets, ServiceSettings? settings = null) =>
        ServiceSpecBuilder.Build("shop", Image, settings ?? Settings(), 4, "sha256:content", "sha256:spec", "sha256:template", Network,
            ["node.role==manager"], secrets);

    [Fact]
    public void SecretsBecomeFiles()
    {
        var refs = new[] { Reference("Stripe__ApiKey", "01JAAAAAAAAAAAAAAAAAAAAAAA"), Reference("tls.crt", "01JBBBBBBBBBBBBBBBBBBBBBBB") };
        var c = Build(refs).TaskTemplate.ContainerSpec;

        Assert.NotNull(c.Secrets);
        Assert.Equal(2, c.Secrets.Count);
        for (var i = 0; i < refs.Length; i++)
        {
            var s = c.Secrets[i];
            Assert.Equal(refs[i].SecretID, s.SecretID);
            Assert.Equal(refs[i].SecretName, s.SecretName);
            Assert.Equal(refs[i].File.Name, s.File.Name);
            Assert.Equal("0", s.File.UID);
            Assert.Equal("0", s.File.GID);
            Assert.Equal(0x124u, s.File.Mode);
            Assert.Equal(Convert.ToUInt32("444", 8), s.File.Mode);
        }
        Assert.Equal(["Stripe__ApiKey", "tls.crt"], c.Secrets.Select(s => s.File.Name));
    }

    [Fact]
    public void TheSpecKeepsItsOwnListOfSecrets()
    {
        var refs = new List<SecretReference> { Reference("A", "01JA") };
        var c = Build(refs).TaskTemplate.ContainerSpec;
        refs.Add(Reference("B", "01JB"));
        Assert.Single(c.Secrets);
    }

    [Fact]
    public void NoEnvironmentVariableCarriesASecret()
    {
        var refs = new[] { Reference("Stripe__ApiKey", "01JAAAAAAAAAAAAAAAAAAAAAAA") };
        var spec = Build(refs);
        var env = spec.TaskTemplate.ContainerSpec.Env;

        Assert.Equal(Build(null).TaskTemplate.ContainerSpec.Env, env);
        Assert.DoesNotContain(env, e => e.Contains("Stripe", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(env, e => e.Contains(refs[0].SecretName, StringComparison.Ordinal));
        Assert.DoesNotContain(env, e => e.Contains("01JAAAAAAAAAAAAAAAAAAAAAAA", StringComparison.Ordinal));
        Assert.DoesNotContain(env, e => e.Contains("/run/secrets", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, Newtonsoft.Json.JsonConvert.SerializeObject(spec));
    }

    [Fact]
    public void WithoutSecretsThereIsNoSecretList()
    {
        Assert.Null(Build(null).TaskTemplate.ContainerSpec.Secrets);
        Assert.Null(Build([]).TaskTemplate.ContainerSpec.Secrets);
    }

    [Fact]
    public void WithoutSecretsTheSpecIsWhatItWas()
    {
        // Omitting the parameter, passing null and passing none give the same spec.
        var without = ServiceSpecBuilder.Build("shop", Image, Settings(), 4, "sha256:content", "sha256:spec", "sha256:template", Network, ["node.role==manager"]);
        var a = Newtonsoft.Json.JsonConvert.SerializeObject(without);
        Assert.Equal(a, Newtonsoft.Json.JsonConvert.SerializeObject(Build(null)));
        Assert.Equal(a, Newtonsoft.Json.JsonConvert.SerializeObject(Build([])));
    }
}
