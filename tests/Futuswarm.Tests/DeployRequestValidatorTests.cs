using Futuswarm.Cluster.Verbs;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

public class DeployRequestValidatorTests
{
    private const string Image = "localhost:5000/hello-swarm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static DeployRequest Valid() => new()
    {
        Protocol = Wire.ProtocolVersion,
        Service = "hello-swarm",
        Image = Image,
        ContentKey = "sha256:abc",
        TimeoutSeconds = 300,
        Spec = new ServiceSettings
        {
            Replicas = 2,
            Port = 8080,
            HealthCheckPath = "/health",
            Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["HELLO"] = "world" },
        },
    };

    private static string CodeOf(DeployRequest r) => Assert.Throws<FswException>(() => DeployRequestValidator.Validate(r)).Code;

    [Fact]
    public void ValidRequestPasses() => DeployRequestValidator.Validate(Valid());

    [Fact]
    public void NoImageMeansTheRunningOneAndIsValid() => DeployRequestValidator.Validate(Valid() with { Image = null });

    [Fact]
    public void WorkerWithoutPortIsValid() => DeployRequestValidator.Validate(Valid() with { Spec = Valid().Spec with { Port = null } });

    [Theory]
    [InlineData("Hello")]
    [InlineData("1app")]
    [InlineData("app-")]
    [InlineData("")]
    [InlineData("a;b")]
    public void InvalidServiceName(string name) => Assert.Equal("FSW2001", CodeOf(Valid() with { Service = name }));

    [Fact]
    public void TooLongServiceName() => Assert.Equal("FSW2001", CodeOf(Valid() with { Service = new string('a', 41) }));

    [Theory]
    [InlineData("futuswarm")]
    [InlineData("futuswarm-edge")]
    [InlineData("futuswarm-check")]
    public void ReservedServiceName(string name) => Assert.Equal("FSW2013", CodeOf(Valid() with { Service = name }));

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void InvalidPort(int port) => Assert.Equal("FSW2002", CodeOf(Valid() with { Spec = Valid().Spec with { Port = port } }));

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void InvalidReplicas(int n) => Assert.Equal("FSW2003", CodeOf(Valid() with { Spec = Valid().Spec with { Replicas = n } }));

    [Theory]
    [InlineData("health")]
    [InlineData("/a b")]
    public void InvalidHealthCheckPath(string path) =>
        Assert.Equal("FSW2004", CodeOf(Valid() with { Spec = Valid().Spec with { HealthCheckPath = path } }));

    [Theory]
    [InlineData("1X", "v")]
    [InlineData("FUTUSWARM_SERVICE", "v")]
    [InlineData("X", "a\0b")]
    public void InvalidEnvironmentVariable(string name, string value) =>
        Assert.Equal("FSW2005", CodeOf(Valid() with
        {
            Spec = Valid().Spec with { Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["OK"] = "1", [name] = value } },
        }));

    [Theory]
    [InlineData(9)]
    [InlineData(3601)]
    public void InvalidDeployTimeout(int s) => Assert.Equal("FSW2006", CodeOf(Valid() with { TimeoutSeconds = s }));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void MissingContentKeyIsMalformed(string key) => Assert.Equal("FSW2007", CodeOf(Valid() with { ContentKey = key }));

    [Fact]
    public void OverlongContentKeyIsMalformed() => Assert.Equal("FSW2007", CodeOf(Valid() with { ContentKey = new string('k', 201) }));

    [Fact]
    public void CustomDomains()
    {
        var e = Assert.Throws<FswException>(() => DeployRequestValidator.Validate(Valid() with { Spec = Valid().Spec with { Domains = ["www.example.com"] } }));
        Assert.Equal("FSW2009", e.Code);
        Assert.Contains("www.example.com", e.Message);
    }

    [Theory]
    [InlineData("sso")]
    [InlineData("private")]
    [InlineData("Public")]
    public void AccessOtherThanPublic(string access) =>
        Assert.Equal("FSW2010", CodeOf(Valid() with { Spec = Valid().Spec with { Access = access } }));

    [Theory]
    [InlineData("localhost:5000/hello-swarm:latest")]
    [InlineData("localhost:5000/hello-swarm@sha256:123")]
    [InlineData("hello-swarm")]
    public void ImageNotByDigest(string image)
    {
        var e = Assert.Throws<FswException>(() => DeployRequestValidator.Validate(Valid() with { Image = image }));
        Assert.Equal("FSW2011", e.Code);
        Assert.Contains(image, e.Message);
    }

    [Fact]
    public void MessagesNameWhatToChange()
    {
        Assert.Contains("SwarmServiceName", Assert.Throws<FswException>(() => DeployRequestValidator.Validate(Valid() with { Service = "Bad" })).Message);
        Assert.Contains("SwarmReplicas", Assert.Throws<FswException>(() => DeployRequestValidator.Validate(Valid() with { Spec = Valid().Spec with { Replicas = 0 } })).Message);
        Assert.Contains("SwarmPort", Assert.Throws<FswException>(() => DeployRequestValidator.Validate(Valid() with { Spec = Valid().Spec with { Port = 0 } })).Message);
        Assert.Contains("SwarmDeployTimeout", Assert.Throws<FswException>(() => DeployRequestValidator.Validate(Valid() with { TimeoutSeconds = 1 })).Message);
    }

    [Fact]
    public void CheckServiceNameAloneGivesTheSameCodes()
    {
        Assert.Equal("FSW2013", Assert.Throws<FswException>(() => DeployRequestValidator.CheckServiceName("futuswarm-check")).Code);
        Assert.Equal("FSW2001", Assert.Throws<FswException>(() => DeployRequestValidator.CheckServiceName("Nope")).Code);
        DeployRequestValidator.CheckServiceName("hello-swarm");
    }
}

public class DeployRequestValidatorNewlineTests
{
    private const string Image = "localhost:5000/hello-swarm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void ServiceNameWithTrailingNewlineIsRefusedByTheManager()
    {
        // JSON carries "\n" happily: {"service":"app\n",...}
        var json = $$$"""{"protocol":1,"service":"app\n","image":"{{{Image}}}","contentKey":"k","spec":{"port":8080}}""";
        var request = System.Text.Json.JsonSerializer.Deserialize<DeployRequest>(json, Wire.Json)!;
        Assert.Equal("app\n", request.Service);
        Assert.Equal("FSW2001", Assert.Throws<FswException>(() => DeployRequestValidator.Validate(request)).Code);
    }

    [Fact]
    public void ImageWithTrailingNewlineIsRefusedByTheManager()
    {
        var request = new DeployRequest
        {
            Protocol = 1, Service = "app", Image = Image + "\n", ContentKey = "k", Spec = new ServiceSettings { Port = 8080 },
        };
        Assert.Equal("FSW2011", Assert.Throws<FswException>(() => DeployRequestValidator.Validate(request)).Code);
    }
}
