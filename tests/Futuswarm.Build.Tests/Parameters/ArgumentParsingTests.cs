using static Futuswarm.Build.Tests.Parameters.Specs;

namespace Futuswarm.Build.Tests.Parameters;

public class ArgumentParsingTests
{
    [Fact]
    public void A_value_parameter_takes_the_next_argument()
    {
        var cl = Parse("LocalCluster", "--edge-port", "9090");

        Assert.Equal(["LocalCluster"], cl.Targets);
        Assert.Equal(["9090"], cl.Raw(EdgePort));
    }

    [Fact]
    public void A_value_can_be_given_inline_after_an_equals_sign()
    {
        var cl = Parse("LocalCluster", "--edge-port=9090", "--user=alice=ssh-ed25519 AAAA alice@laptop");

        Assert.Equal(["9090"], cl.Raw(EdgePort));
        Assert.Equal(["alice=ssh-ed25519 AAAA alice@laptop"], cl.Raw(User));
    }

    [Fact]
    public void A_flag_alone_is_true()
    {
        var cl = Parse("LocalCluster", "--down");

        Assert.True(cl.Flag(Down));
        Assert.Equal(["true"], cl.Raw(Down));
        Assert.Equal(["LocalCluster"], cl.Targets);
    }

    [Fact]
    public void A_flag_does_not_swallow_a_following_target()
    {
        var cl = Parse("--down", "LocalCluster");

        Assert.True(cl.Flag(Down));
        Assert.Equal(["LocalCluster"], cl.Targets);
    }

    [Theory]
    [InlineData("--down", "false")]
    [InlineData("--down=false", null)]
    [InlineData("--down=0", null)]
    [InlineData("--down=off", null)]
    public void A_flag_can_be_turned_off_explicitly(string arg, string? next)
    {
        var cl = Parse(next is null ? new[] { "LocalCluster", arg } : new[] { "LocalCluster", arg, next });

        Assert.False(cl.Flag(Down));
        Assert.Equal(["LocalCluster"], cl.Targets);
    }

    [Fact]
    public void An_absent_flag_is_false_and_an_absent_value_is_null()
    {
        var cl = Parse("LocalCluster");

        Assert.False(cl.Flag(Down));
        Assert.Null(cl.Raw(Down));
        Assert.Null(cl.Raw(EdgePort));
    }

    [Fact]
    public void A_repeatable_parameter_keeps_every_value_in_order()
    {
        var cl = Parse("LocalCluster", "--user", "a=k1", "--edge-port", "9090", "--user", "b=k2");

        Assert.Equal(["a=k1", "b=k2"], cl.Raw(User));
        Assert.Equal(["9090"], cl.Raw(EdgePort));
    }

    [Theory]
    [InlineData("--edge-port")]
    [InlineData("--Edge-Port")]
    [InlineData("--EDGE-PORT")]
    [InlineData("--EdgePort")]
    [InlineData("--edge_port")]
    [InlineData("-edge-port")]
    public void Parameter_names_ignore_case_and_separators(string name)
    {
        var cl = Parse("LocalCluster", name, "9090");

        Assert.Equal(["9090"], cl.Raw(EdgePort));
    }

    [Fact]
    public void Several_targets_are_kept_in_order()
    {
        var cl = Parse("Pack", "--down", "LocalCluster", "Demo");

        Assert.Equal(["Pack", "LocalCluster", "Demo"], cl.Targets);
    }

    [Fact]
    public void A_value_that_starts_with_a_single_dash_is_still_a_value()
    {
        var cl = Parse("LocalCluster", "--dir", "-x");

        Assert.Equal(["-x"], cl.Raw(Dir));
    }
}
