using static Futuswarm.Build.Tests.Parameters.Specs;

namespace Futuswarm.Build.Tests.Parameters;

public class EnvironmentFallbackTests
{
    [Fact]
    public void The_environment_variable_name_is_FUTUSWARM_and_the_upper_snake_name()
    {
        Assert.Equal("FUTUSWARM_EDGE_PORT", EdgePort.EnvName);
        Assert.Equal("FUTUSWARM_USE_EXISTING_SWARM", UseExistingSwarm.EnvName);
    }

    [Fact]
    public void A_value_missing_from_the_arguments_comes_from_the_environment()
    {
        var cl = Parse(["LocalCluster"], new() { ["FUTUSWARM_EDGE_PORT"] = "9191" });

        Assert.Equal(["9191"], cl.Raw(EdgePort));
    }

    [Fact]
    public void An_argument_wins_over_the_environment()
    {
        var cl = Parse(["LocalCluster", "--edge-port", "9090"], new() { ["FUTUSWARM_EDGE_PORT"] = "9191" });

        Assert.Equal(["9090"], cl.Raw(EdgePort));
    }

    [Fact]
    public void Repeated_arguments_replace_the_environment_list_rather_than_adding_to_it()
    {
        var cl = Parse(["LocalCluster", "--user", "a=k"], new() { ["FUTUSWARM_USER"] = "b=k" });

        Assert.Equal(["a=k"], cl.Raw(User));
    }

    [Fact]
    public void An_empty_environment_variable_counts_as_not_set()
    {
        var cl = Parse(["LocalCluster"], new() { ["FUTUSWARM_EDGE_PORT"] = "" });

        Assert.Null(cl.Raw(EdgePort));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    public void A_flag_reads_its_environment_variable_as_a_boolean(string value, bool expected)
    {
        var cl = Parse(["LocalCluster"], new() { ["FUTUSWARM_DOWN"] = value });

        Assert.Equal(expected, cl.Flag(Down));
    }

    [Fact]
    public void A_list_environment_variable_holds_one_value_per_line_or_per_semicolon()
    {
        var cl = Parse(["LocalCluster"], new() { ["FUTUSWARM_USER"] = "a=k1\n b=k2 ;c=k3;" });

        Assert.Equal(["a=k1", "b=k2", "c=k3"], cl.Raw(User));
    }

    [Fact]
    public void Only_FUTUSWARM_variables_are_read()
    {
        var asked = new List<string>();
        CommandLineParser.Parse(["LocalCluster"], All, name => { asked.Add(name); return null; });

        Assert.All(asked, name => Assert.StartsWith("FUTUSWARM_", name));
        Assert.Contains("FUTUSWARM_EDGE_PORT", asked);
    }
}
