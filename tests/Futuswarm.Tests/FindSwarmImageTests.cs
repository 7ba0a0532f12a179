extern alias tasks;
using System.Net;
using tasks::Futuswarm.Tasks;
using tasks::Futuswarm.Tasks.ContentKeys;

namespace Futuswarm.Tests;

/// <summary>The registry lookup that decides whether a build is published: found, missing, or unknown (ask the manager).</summary>
public class FindSwarmImageTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private sealed class Registry(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Requests.Add(request);
            return Task.FromResult(answer(request));
        }
    }

    private static FindSwarmImage Lookup(HttpMessageHandler handler) => new()
    {
        BuildEngine = new MockBuildEngine(), Registry = "localhost:5000", Repository = "hello", Tag = "ck-0011223344556677",
        Client = new RegistryDigestClient(handler),
    };

    [Fact]
    public void A_tagged_image_is_found_and_named_by_digest()
    {
        var registry = new Registry(_ =>
        {
            var r = new HttpResponseMessage(HttpStatusCode.OK);
            r.Headers.Add("Docker-Content-Digest", Digest);
            return r;
        });
        var task = Lookup(registry);
        Assert.True(task.Execute());
        Assert.Equal(FindSwarmImage.Found, task.State);
        Assert.Equal($"localhost:5000/hello@{Digest}", task.Image);
        var request = Assert.Single(registry.Requests);
        Assert.Equal(HttpMethod.Head, request.Method);
        Assert.Equal("http://localhost:5000/v2/hello/manifests/ck-0011223344556677", request.RequestUri!.ToString());
    }

    [Fact]
    public void A_missing_tag_means_publish()
    {
        var task = Lookup(new Registry(_ => new HttpResponseMessage(HttpStatusCode.NotFound)));
        Assert.True(task.Execute());
        Assert.Equal(FindSwarmImage.Missing, task.State);
        Assert.Equal("", task.Image);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public void A_registry_that_cannot_say_leaves_the_decision_to_the_manager(HttpStatusCode status)
    {
        var task = Lookup(new Registry(_ => new HttpResponseMessage(status)));
        Assert.True(task.Execute());
        Assert.Equal(FindSwarmImage.Unknown, task.State);
        Assert.Equal("", task.Image);
    }

    [Fact]
    public void An_unreachable_registry_is_unknown_not_an_error()
    {
        var task = Lookup(new Registry(_ => throw new HttpRequestException("Connection refused")));
        Assert.True(task.Execute());
        Assert.Equal(FindSwarmImage.Unknown, task.State);
    }
}
