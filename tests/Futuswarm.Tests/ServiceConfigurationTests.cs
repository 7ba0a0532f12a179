using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;

namespace Futuswarm.Tests;

/// <summary>services/&lt;svc&gt;/config.json: the effective environment, comparison, and the versions that decide the spec hash.</summary>
public class ServiceConfigurationTests
{
    private static readonly DateTimeOffset T = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static SecretPin Pin(string version, string by = "alice", string fp = "hmac-sha256:aa") =>
        new() { Version = version, SetAt = T, SetBy = by, Fingerprint = fp };

    private static ServiceConfiguration Config(IEnumerable<(string, string)>? env = null, IEnumerable<(string, SecretPin)>? secrets = null)
    {
        var c = new ServiceConfiguration();
        foreach (var (k, v) in env ?? []) c.Environment[k] = v;
        foreach (var (k, p) in secrets ?? []) c.Secrets[k] = p;
        return c;
    }

    [Fact]
    public void EmptyIsEmptyAndFresh()
    {
        Assert.Empty(ServiceConfiguration.Empty.Environment);
        Assert.Empty(ServiceConfiguration.Empty.Secrets);
        // A fresh instance each time: a caller that fills one must not change the next.
        ServiceConfiguration.Empty.Environment["X"] = "1";
        Assert.Empty(ServiceConfiguration.Empty.Environment);
    }

    [Fact]
    public void TheClusterOverridesTheProject()
    {
        var cluster = Config(env: [("LOG_LEVEL", "Debug"), ("ONLY_CLUSTER", "c")]);
        var project = new Dictionary<string, string> { ["LOG_LEVEL"] = "Information", ["ONLY_PROJECT"] = "p" };

        var env = cluster.EffectiveEnvironment(project);

        Assert.Equal(new Dictionary<string, string> { ["LOG_LEVEL"] = "Debug", ["ONLY_CLUSTER"] = "c", ["ONLY_PROJECT"] = "p" }, env);
        Assert.Equal("Information", project["LOG_LEVEL"]); // the project's values are not changed
    }

    [Fact]
    public void WithoutClusterValuesTheProjectsEnvironmentIsUsed()
    {
        var project = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" };
        Assert.Equal(project, ServiceConfiguration.Empty.EffectiveEnvironment(project));
        Assert.Equal(new Dictionary<string, string> { ["C"] = "3" }, Config(env: [("C", "3")]).EffectiveEnvironment(new Dictionary<string, string>()));
    }

    [Fact]
    public void TheEffectiveEnvironmentIsInOrdinalOrder()
    {
        var project = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["b"] = "1", ["A"] = "2", ["_x"] = "3" };
        var env = Config(env: [("a", "4")]).EffectiveEnvironment(project);
        Assert.Equal(new[] { "A", "_x", "a", "b" }, env.Keys);
    }

    [Fact]
    public void EffectiveEnvironmentIsCaseSensitive()
    {
        var env = Config(env: [("path", "cluster")]).EffectiveEnvironment(new Dictionary<string, string> { ["PATH"] = "project" });
        Assert.Equal("project", env["PATH"]);
        Assert.Equal("cluster", env["path"]);
    }

    [Fact]
    public void SecretVersionsMapNamesToVersions()
    {
        var c = Config(secrets: [("b", Pin("01B")), ("A", Pin("01A")), ("a", Pin("01C"))]);
        var versions = c.SecretVersions();
        Assert.Equal(new Dictionary<string, string> { ["A"] = "01A", ["a"] = "01C", ["b"] = "01B" }, versions);
        Assert.Equal(new[] { "A", "a", "b" }, versions.Keys);
        Assert.Empty(ServiceConfiguration.Empty.SecretVersions());
    }

    [Fact]
    public void SameAsComparesEnvironmentAndSecretVersions()
    {
        var a = Config(env: [("X", "1"), ("Y", "2")], secrets: [("S", Pin("01A"))]);
        var same = Config(env: [("Y", "2"), ("X", "1")], secrets: [("S", Pin("01A"))]);

        Assert.True(a.SameAs(same));
        Assert.True(same.SameAs(a));
        Assert.True(ServiceConfiguration.Empty.SameAs(ServiceConfiguration.Empty));

        Assert.False(a.SameAs(Config(env: [("X", "1"), ("Y", "3")], secrets: [("S", Pin("01A"))])), "env value");
        Assert.False(a.SameAs(Config(env: [("X", "1")], secrets: [("S", Pin("01A"))])), "env removed");
        Assert.False(a.SameAs(Config(env: [("X", "1"), ("Y", "2"), ("Z", "")], secrets: [("S", Pin("01A"))])), "env added");
        Assert.False(a.SameAs(Config(env: [("X", "1"), ("Y", "2")], secrets: [("S", Pin("01B"))])), "secret version");
        Assert.False(a.SameAs(Config(env: [("X", "1"), ("Y", "2")])), "secret removed");
        Assert.False(a.SameAs(Config(env: [("X", "1"), ("Y", "2")], secrets: [("S", Pin("01A")), ("T", Pin("01A"))])), "secret added");
        Assert.False(a.SameAs(Config(env: [("X", "1"), ("Y", "2")], secrets: [("s", Pin("01A"))])), "secret name case");
        Assert.False(a.SameAs(ServiceConfiguration.Empty));
    }

    [Fact]
    public void SameAsIgnoresWhoSetAVersionAndWhen()
    {
        var a = Config(secrets: [("S", Pin("01A", by: "alice", fp: "hmac-sha256:aa"))]);
        var b = Config(secrets: [("S", Pin("01A", by: "bob", fp: "hmac-sha256:aa") with { SetAt = T.AddDays(1) })]);
        Assert.True(a.SameAs(b));
    }

    [Fact]
    public async Task SameAfterAStoreRoundTrip()
    {
        // A config read back from the store must equal what was written, or every change would look like one.
        using var dir = new TempDirectory();
        var repo = new ServiceConfigurationRepository(new LocalDirectoryStore(dir.Path));
        var c = Config(env: [("b", "2"), ("B_X", "1"), ("A", "3")], secrets: [("Stripe__ApiKey", Pin("01HX")), ("a", Pin("01HY"))]);

        await repo.WriteAsync("shop", c, CancellationToken.None);
        var back = await repo.ReadAsync("shop", CancellationToken.None);

        Assert.True(c.SameAs(back));
        Assert.True(back.SameAs(c));
        Assert.Equal(c.Secrets["Stripe__ApiKey"], back.Secrets["Stripe__ApiKey"]);
        Assert.Equal(c.SecretVersions(), back.SecretVersions());
        Assert.Equal(c.EffectiveEnvironment(new Dictionary<string, string>()), back.EffectiveEnvironment(new Dictionary<string, string>()));
    }

    [Fact]
    public async Task AServiceWithoutAConfigReadsAsEmpty()
    {
        using var dir = new TempDirectory();
        var back = await new ServiceConfigurationRepository(new LocalDirectoryStore(dir.Path)).ReadAsync("shop", CancellationToken.None);
        Assert.True(back.SameAs(ServiceConfiguration.Empty));
    }
}
