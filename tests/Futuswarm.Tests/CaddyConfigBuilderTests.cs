using System.Text.Json.Nodes;
using Futuswarm.Cluster.Edge;

namespace Futuswarm.Tests;

public class CaddyConfigBuilderTests
{
    private static JsonArray RoutesOf(JsonObject config) => config["apps"]!["http"]!["servers"]!["edge"]!["routes"]!.AsArray();

    private static readonly Route[] Sample =
    [
        new("web", "web.localhost", 8080, "public"),
        new("api", "api.localhost", 5000, "public"),
        new("zeta", "zeta.localhost", 80, "public"),
    ];

    [Fact]
    public void AdminListensOnTheUnixSocketOnly()
    {
        var admin = CaddyConfigBuilder.Build(Sample)["admin"]!;
        Assert.Equal("unix//run/futuswarm-edge/admin.sock", (string?)admin["listen"]);
        Assert.Equal(["localhost"], admin["origins"]!.AsArray().Select(o => (string?)o));
    }

    [Fact]
    public void ARoutePerServiceThenTheCatchAll()
    {
        var routes = RoutesOf(CaddyConfigBuilder.Build(Sample));
        Assert.Equal(Sample.Length + 1, routes.Count);
    }

    [Fact]
    public void RouteMatchesItsHostAndDialsTheTasksName()
    {
        var routes = RoutesOf(CaddyConfigBuilder.Build([new Route("web", "web.localhost", 8080, "public")]));
        var route = routes[0]!;
        Assert.Equal(["web.localhost"], route["match"]!.AsArray().Single()!["host"]!.AsArray().Select(h => (string?)h));
        var handler = route["handle"]!.AsArray().Single()!;
        Assert.Equal("reverse_proxy", (string?)handler["handler"]);
        var upstream = handler["upstreams"]!.AsArray().Single()!;
        Assert.Equal("tasks.web:8080", (string?)upstream["dial"]);
        Assert.Equal(true, (bool?)route["terminal"]);
    }

    [Fact]
    public void RequestsWaitForATaskInsteadOfFailing()
    {
        var handler = RoutesOf(CaddyConfigBuilder.Build(Sample))[0]!["handle"]![0]!;
        var lb = handler["load_balancing"]!;
        var tryDuration = ParseCaddyDuration((string)lb["try_duration"]!);
        var tryInterval = ParseCaddyDuration((string)lb["try_interval"]!);
        Assert.True(tryDuration >= TimeSpan.FromSeconds(1), $"try_duration {tryDuration}");
        Assert.True(tryInterval > TimeSpan.Zero && tryInterval < tryDuration, $"try_interval {tryInterval}");
    }

    [Fact]
    public void RoutesAreSortedByHost()
    {
        var routes = RoutesOf(CaddyConfigBuilder.Build(Sample));
        var hosts = routes.Take(Sample.Length).Select(r => (string)r!["match"]![0]!["host"]![0]!).ToList();
        Assert.Equal(["api.localhost", "web.localhost", "zeta.localhost"], hosts);
    }

    [Fact]
    public void OrderOfInputDoesNotChangeTheDocument()
    {
        var a = CaddyConfigBuilder.Build(Sample).ToJsonString();
        var b = CaddyConfigBuilder.Build(Sample.Reverse()).ToJsonString();
        Assert.Equal(a, b);
    }

    [Fact]
    public void LastRouteIsTheCatchAll404()
    {
        var last = RoutesOf(CaddyConfigBuilder.Build(Sample))[^1]!.AsObject();
        Assert.False(last.ContainsKey("match"), "the catch-all matches everything");
        var handler = last["handle"]!.AsArray().Single()!;
        Assert.Equal("static_response", (string?)handler["handler"]);
        Assert.Equal(404, (int?)handler["status_code"]);
    }

    [Fact]
    public void EmptyRouteListStillAnswers404()
    {
        var routes = RoutesOf(CaddyConfigBuilder.Build([]));
        var only = Assert.Single(routes)!;
        Assert.Equal("static_response", (string?)only["handle"]![0]!["handler"]);
        Assert.Equal(404, (int?)only["handle"]![0]!["status_code"]);
    }

    [Fact]
    public void ServesPlainHttpOnPort80()
    {
        var edge = CaddyConfigBuilder.Build(Sample)["apps"]!["http"]!["servers"]!["edge"]!;
        Assert.Equal([":80"], edge["listen"]!.AsArray().Select(l => (string?)l));
        Assert.Equal(true, (bool?)edge["automatic_https"]!["disable"]);
    }

    private static TimeSpan ParseCaddyDuration(string s)
    {
        if (s.EndsWith("ms", StringComparison.Ordinal)) return TimeSpan.FromMilliseconds(double.Parse(s[..^2], System.Globalization.CultureInfo.InvariantCulture));
        if (s.EndsWith('s')) return TimeSpan.FromSeconds(double.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture));
        if (s.EndsWith('m')) return TimeSpan.FromMinutes(double.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture));
        throw new FormatException($"unexpected Caddy duration '{s}'");
    }
}
