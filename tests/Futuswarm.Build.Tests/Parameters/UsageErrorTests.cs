using static Futuswarm.Build.Tests.Parameters.Specs;

namespace Futuswarm.Build.Tests.Parameters;

public class UsageErrorTests
{
    [Fact]
    public void An_unknown_parameter_is_a_usage_error_listing_the_known_ones()
    {
        var e = Assert.Throws<UsageException>(() => Parse("LocalCluster", "--edge-prot", "9090"));

        Assert.StartsWith("Unknown parameter '--edge-prot'.", e.Message);
        Assert.Contains("--edge-port", e.Message);
    }

    [Fact]
    public void A_value_parameter_without_a_value_is_a_usage_error()
    {
        var e = Assert.Throws<UsageException>(() => Parse("LocalCluster", "--edge-port"));

        Assert.Equal("Parameter '--edge-port' needs a value.", e.Message);
    }

    [Fact]
    public void A_value_parameter_followed_by_another_parameter_is_a_usage_error()
    {
        var e = Assert.Throws<UsageException>(() => Parse("LocalCluster", "--dir", "--down"));

        Assert.Equal("Parameter '--dir' needs a value.", e.Message);
    }

    [Fact]
    public void A_single_value_parameter_given_twice_is_a_usage_error()
    {
        var e = Assert.Throws<UsageException>(() => Parse("LocalCluster", "--edge-port", "1", "--EdgePort", "2"));

        Assert.Equal("Parameter '--edge-port' is given twice.", e.Message);
    }

    [Fact]
    public void A_flag_with_a_value_that_is_not_a_boolean_is_a_usage_error()
    {
        Assert.Throws<UsageException>(() => Parse("LocalCluster", "--down=maybe"));
        Assert.Throws<UsageException>(() => Parse(["LocalCluster"], new() { ["FUTUSWARM_DOWN"] = "maybe" }));
    }
}
