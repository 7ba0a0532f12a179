using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The definition's optional edgeImage: a pinned reference, or FSW6059 with the field's path; absent means null.</summary>
public sealed class ClusterDefinitionEdgeImageTests
{
    [Theory]
    [InlineData("ghcr.io/example/futuswarm-edge:2.6.2")]
    [InlineData("registry.example.com:5000/futuswarm/edge:2.6.2")]
    [InlineData("example/futuswarm-edge@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("ghcr.io/example/edge:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void A_pinned_reference_is_taken(string image)
    {
        Assert.Null(DefinitionRules.CheckEdgeImage(image));
        Assert.Equal(image, ClusterDefinitionLoader.Parse(DefinitionText.With("edgeImage", $"\"{image}\""), "test.json").EdgeImage);
    }

    [Theory]
    [InlineData("ghcr.io/example/futuswarm-edge", "no tag or digest")]
    [InlineData("ghcr.io/example/futuswarm-edge:latest", "moving tag")]
    [InlineData("https://ghcr.io/example/edge:1", "without a scheme")]
    [InlineData("ghcr.io/Example/Edge:1", "not an image reference")]
    [InlineData("user:secret@ghcr.io/example/edge:1", "not an image reference")]
    [InlineData("ghcr.io/example/edge:1 --privileged", "not an image reference")]
    public void Anything_else_is_FSW6059_naming_the_field(string image, string why)
    {
        Assert.Contains(why, DefinitionRules.CheckEdgeImage(image));
        var e = DefinitionText.Fails(DefinitionText.With("edgeImage", System.Text.Json.JsonSerializer.Serialize(image)));
        var problem = Assert.Single(e.Problems);
        Assert.Equal(ErrorCodes.EdgeImageInvalid, problem.Code);
        Assert.Equal("edgeImage", problem.Path);
        Assert.DoesNotContain("secret", e.Message); // a malformed value is not echoed: it may be credentials
    }

    [Fact]
    public void Absent_it_is_null_and_written_back_as_null()
    {
        var d = ClusterDefinitionLoader.Parse(DefinitionText.With("edgeImage", null), "test.json");
        Assert.Null(d.EdgeImage);
        Assert.Contains("\"edgeImage\": null", ClusterDefinitionWriter.ToJson(d));
    }

    [Fact]
    public void A_number_is_FSW6013() =>
        Assert.Equal(ErrorCodes.ClusterDefinitionInvalid, Assert.Single(DefinitionText.Fails(DefinitionText.With("edgeImage", "2")).Problems).Code);
}
