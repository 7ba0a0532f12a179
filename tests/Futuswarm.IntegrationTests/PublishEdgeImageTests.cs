namespace Futuswarm.IntegrationTests;

/// <summary>PublishEdgeImage pushes the local cluster's edge image to another repository (here the local registry
/// under another name) and prints the digest-pinned reference an AWS definition's edgeImage takes.</summary>
public class PublishEdgeImageTests
{
    [Fact]
    public async Task The_edge_image_is_pushed_and_its_pinned_reference_printed()
    {
        var repository = $"ops-test-{Guid.NewGuid():N}"[..16] + "/edge";
        var result = await BuildScript.RunAsync("PublishEdgeImage", "--edge-repository", $"localhost:5000/{repository}");
        Assert.True(result.ExitCode == 0, result.Output);

        var tag = Assert.Single(await Registry.TagsAsync(repository));
        var digest = await Registry.DigestAsync(repository, tag);
        Assert.NotNull(digest);
        Assert.Contains($"\"edgeImage\": \"localhost:5000/{repository}@{digest}\"", result.Output);
    }

    [Theory]
    [InlineData("localhost:5000/ops/edge:2.6")]
    public async Task A_bad_repository_is_FSW6066_and_nothing_is_pushed(string repository)
    {
        var result = await BuildScript.RunAsync("PublishEdgeImage", "--edge-repository", repository);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("FSW6066", result.Output);
        Assert.DoesNotContain("\"edgeImage\"", result.Output);
    }
}
