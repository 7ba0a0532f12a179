using System.Reflection;

namespace Futuswarm.Build.Tests.Parameters;

/// <summary>Turning raw strings into typed members, as the runner does after parsing.</summary>
public class BoundParameterTests
{
    sealed class FakeBuild : BuildBase
    {
        [Parameter("port")] public int EdgePort = 8080;
        [Parameter("flag")] public bool Down;
        [Parameter("list")] public string[] User = [];
        [Parameter("text")] public string? Engine;
        [Parameter("secret", Secret = true)] public string? ApiToken;
    }

    static BoundParameter Bound(FakeBuild build, string member)
    {
        var field = typeof(FakeBuild).GetField(member)!;
        return BoundParameter.Create(field, field.GetCustomAttribute<ParameterAttribute>()!, build);
    }

    [Fact]
    public void Member_names_become_kebab_case_parameters_of_the_right_kind()
    {
        var build = new FakeBuild();

        Assert.Equal(("edge-port", ParameterKind.Value, "8080"), Spec(Bound(build, "EdgePort")));
        Assert.Equal(("down", ParameterKind.Flag, null), Spec(Bound(build, "Down")));
        Assert.Equal(("user", ParameterKind.List, null), Spec(Bound(build, "User")));
        Assert.Equal(("api-token", ParameterKind.Value, null), Spec(Bound(build, "ApiToken")));
        Assert.True(Bound(build, "ApiToken").Spec.Secret);

        static (string, ParameterKind, string?) Spec(BoundParameter p) => (p.Spec.Name, p.Spec.Kind, p.Spec.Default);
    }

    [Theory]
    [InlineData("EdgePort", "edge-port")]
    [InlineData("UseExistingSwarm", "use-existing-swarm")]
    [InlineData("Dir", "dir")]
    [InlineData("HTTPPort", "http-port")]
    public void KebabFromMember_splits_words(string member, string expected) =>
        Assert.Equal(expected, ParameterSpec.KebabFromMember(member));

    [Fact]
    public void A_parsed_edge_port_binds_as_an_int()
    {
        var build = new FakeBuild();
        var p = Bound(build, "EdgePort");

        p.Bind(build, CommandLineParser.Parse(["--edge-port", "9090"], [p.Spec], _ => null).Raw(p.Spec));

        Assert.Equal(9090, build.EdgePort);
    }

    [Fact]
    public void Not_given_keeps_the_initializer_default()
    {
        var build = new FakeBuild();

        Bound(build, "EdgePort").Bind(build, null);

        Assert.Equal(8080, build.EdgePort);
    }

    [Theory]
    [InlineData("eighty")]
    [InlineData("90x")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    [InlineData("")]
    public void A_value_that_is_not_a_whole_number_is_a_usage_error(string raw)
    {
        var build = new FakeBuild();

        var e = Assert.Throws<UsageException>(() => Bound(build, "EdgePort").Bind(build, [raw]));

        Assert.Equal($"Parameter '--edge-port' expects a whole number, not '{raw}'.", e.Message);
        Assert.Equal(8080, build.EdgePort);
    }

    [Fact]
    public void Flags_lists_and_strings_bind_to_their_types()
    {
        var build = new FakeBuild();
        var specs = new[] { Bound(build, "Down"), Bound(build, "User"), Bound(build, "Engine") };
        var cl = CommandLineParser.Parse(["--down", "--user", "a=k", "--user", "b=k", "--engine", "/run/docker.sock"],
            specs.Select(s => s.Spec).ToList(), _ => null);

        foreach (var s in specs) s.Bind(build, cl.Raw(s.Spec));

        Assert.True(build.Down);
        Assert.Equal(["a=k", "b=k"], build.User);
        Assert.Equal("/run/docker.sock", build.Engine);
    }

    [Fact]
    public void Binding_a_secret_registers_it_for_redaction()
    {
        var build = new FakeBuild();
        var secret = "tok-" + Guid.NewGuid().ToString("N");

        Bound(build, "ApiToken").Bind(build, [secret]);

        Assert.Equal(secret, build.ApiToken);
        Assert.Equal("token=***", Secrets.Redact("token=" + secret));
    }
}
