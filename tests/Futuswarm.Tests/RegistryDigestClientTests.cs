extern alias tasks;

using System.Net;
using System.Net.Http.Headers;
using tasks::Futuswarm.Tasks.ContentKeys;

namespace Futuswarm.Tests;

public class RegistryDigestClientTests
{
    private const string Digest = "sha256:abababababababababababababababababababababababababababababababab";

    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private sealed record Seen(HttpMethod Method, Uri Uri, string[] Accept, AuthenticationHeaderValue? Authorization);

    private sealed class FakeHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<Seen> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
                Requests.Add(new Seen(request.Method, request.RequestUri!, request.Headers.Accept.Select(a => a.MediaType!).ToArray(), request.Headers.Authorization));
            var response = answer(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }

    private static HttpResponseMessage WithDigest(string digest = Digest)
    {
        var r = new HttpResponseMessage(HttpStatusCode.OK);
        r.Headers.Add("Docker-Content-Digest", digest);
        return r;
    }

    // ---- Parse ----

    [Theory]
    [InlineData("localhost:5000/a/b:1", "localhost:5000", "a/b", "1")]
    [InlineData("localhost:5000/hello-swarm", "localhost:5000", "hello-swarm", "latest")]
    [InlineData("localhost/app:2", "localhost", "app", "2")]
    [InlineData("127.0.0.1:5000/app:2", "127.0.0.1:5000", "app", "2")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0", "mcr.microsoft.com", "dotnet/aspnet", "10.0")]
    [InlineData("ghcr.io/acme/app@sha256:abc", "ghcr.io", "acme/app", "sha256:abc")]
    [InlineData("nginx", "registry-1.docker.io", "library/nginx", "latest")]
    [InlineData("nginx:1.27", "registry-1.docker.io", "library/nginx", "1.27")]
    [InlineData("acme/app:3", "registry-1.docker.io", "acme/app", "3")]
    [InlineData("docker.io/library/nginx:1.27", "registry-1.docker.io", "library/nginx", "1.27")]
    [InlineData("docker.io/acme/app", "registry-1.docker.io", "acme/app", "latest")]
    [InlineData("registry:5000/team/app:1", "registry:5000", "team/app", "1")]
    public void Parse(string image, string registry, string repository, string reference) =>
        Assert.Equal((registry, repository, reference), RegistryDigestClient.Parse(image));

    [Theory]
    [InlineData("docker.io/nginx:1.27", "registry-1.docker.io", "library/nginx", "1.27")]
    [InlineData("docker.io/nginx", "registry-1.docker.io", "library/nginx", "latest")]
    public void ParseDockerHubOfficialImageWithRegistryName(string image, string registry, string repository, string reference) =>
        Assert.Equal((registry, repository, reference), RegistryDigestClient.Parse(image));

    // ---- ResolveAsync ----

    [Fact]
    public async Task DigestReferenceNeedsNoRequest()
    {
        var handler = new FakeHandler(_ => throw new InvalidOperationException("no request expected"));
        Assert.Equal(Digest, await new RegistryDigestClient(handler).ResolveAsync("localhost:5000/a@" + Digest, CancellationToken.None));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task AnonymousRegistryAnswersWithTheDigest()
    {
        var handler = new FakeHandler(_ => WithDigest());
        var digest = await new RegistryDigestClient(handler).ResolveAsync("localhost:5000/futuswarm/aspnet:10.0", CancellationToken.None);

        Assert.Equal(Digest, digest);
        var r = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Head, r.Method);
        Assert.Equal("http://localhost:5000/v2/futuswarm/aspnet/manifests/10.0", r.Uri.ToString());
        Assert.Equal(ManifestTypes.Order(), r.Accept.Order());
        Assert.Null(r.Authorization);
    }

    [Fact]
    public async Task RemoteRegistriesAreAskedOverHttps()
    {
        var handler = new FakeHandler(_ => WithDigest());
        await new RegistryDigestClient(handler).ResolveAsync("mcr.microsoft.com/dotnet/aspnet:10.0", CancellationToken.None);
        Assert.Equal("https://mcr.microsoft.com/v2/dotnet/aspnet/manifests/10.0", Assert.Single(handler.Requests).Uri.ToString());
    }

    [Fact]
    public async Task BearerChallengeIsAnsweredWithAnAnonymousToken()
    {
        var handler = new FakeHandler(request =>
        {
            if (request.RequestUri!.Host == "auth.example")
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"token":"tok-123","expires_in":300}""") };
            if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: "tok-123" })
                return WithDigest();
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate",
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:x:pull\"");
            return challenge;
        });

        var digest = await new RegistryDigestClient(handler).ResolveAsync("registry.example/x:1", CancellationToken.None);

        Assert.Equal(Digest, digest);
        Assert.Equal(3, handler.Requests.Count);
        var (first, token, second) = (handler.Requests[0], handler.Requests[1], handler.Requests[2]);
        Assert.Equal(HttpMethod.Head, first.Method);
        Assert.Equal("https://registry.example/v2/x/manifests/1", first.Uri.ToString());
        Assert.Null(first.Authorization);

        Assert.Equal(HttpMethod.Get, token.Method);
        Assert.Equal("auth.example", token.Uri.Host);
        Assert.Equal("/token", token.Uri.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(token.Uri.Query);
        Assert.Equal("repository:x:pull", query["scope"]);
        Assert.Equal("registry.example", query["service"]);

        Assert.Equal(HttpMethod.Head, second.Method);
        Assert.Equal(first.Uri, second.Uri);
        Assert.Equal("Bearer", second.Authorization?.Scheme);
        Assert.Equal("tok-123", second.Authorization?.Parameter);
        Assert.Equal(ManifestTypes.Order(), second.Accept.Order());
    }

    [Fact]
    public async Task AccessTokenFieldIsAcceptedToo()
    {
        var handler = new FakeHandler(request =>
        {
            if (request.RequestUri!.Host == "auth.example")
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"access_token":"tok-9"}""") };
            if (request.Headers.Authorization is { Parameter: "tok-9" }) return WithDigest();
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"https://auth.example/token\",service=\"registry.example\"");
            return challenge;
        });
        Assert.Equal(Digest, await new RegistryDigestClient(handler).ResolveAsync("registry.example/team/x:1", CancellationToken.None));
        var query = System.Web.HttpUtility.ParseQueryString(handler.Requests[1].Uri.Query);
        Assert.Equal("repository:team/x:pull", query["scope"]);
    }

    [Fact]
    public async Task NotFoundThrows()
    {
        var handler = new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new RegistryDigestClient(handler).ResolveAsync("localhost:5000/nope:1", CancellationToken.None));
        Assert.Contains("404", e.Message);
    }

    [Fact]
    public async Task UnauthorizedEvenWithTheTokenThrows()
    {
        var handler = new FakeHandler(request =>
        {
            if (request.RequestUri!.Host == "auth.example")
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"token":"t"}""") };
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"https://auth.example/token\"");
            return challenge;
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => new RegistryDigestClient(handler).ResolveAsync("registry.example/x:1", CancellationToken.None));
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task SuccessWithoutDigestHeaderThrows()
    {
        var handler = new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new RegistryDigestClient(handler).ResolveAsync("localhost:5000/a:1", CancellationToken.None));
    }
}
