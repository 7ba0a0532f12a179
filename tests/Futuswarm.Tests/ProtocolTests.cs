extern alias tasks;

using System.Text.Json;
using Futuswarm.Protocol;
using TaskWire = tasks::Futuswarm.Protocol;

namespace Futuswarm.Tests;

public class ProtocolTests
{
    private const string Image = "localhost:5000/hello-swarm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static DeployRequest Sample() => new()
    {
        Protocol = 1,
        Service = "hello-swarm",
        Image = Image,
        ContentKey = "sha256:ck",
        TimeoutSeconds = 120,
        Spec = new ServiceSettings
        {
            Replicas = 2,
            Port = 8080,
            HealthCheckPath = "/health",
            Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["HELLO"] = "world", ["QUOTE"] = "a\"b\\c\n" },
            Access = "public",
            Domains = [],
        },
    };

    [Fact]
    public void DeployRequestRoundTrips()
    {
        var json = JsonSerializer.Serialize(Sample(), Wire.Json);
        var back = JsonSerializer.Deserialize<DeployRequest>(json, Wire.Json)!;
        Assert.Equal(1, back.Protocol);
        Assert.Equal("hello-swarm", back.Service);
        Assert.Equal(Image, back.Image);
        Assert.Equal("sha256:ck", back.ContentKey);
        Assert.Equal(120, back.TimeoutSeconds);
        Assert.Equal(2, back.Spec.Replicas);
        Assert.Equal(8080, back.Spec.Port);
        Assert.Equal("/health", back.Spec.HealthCheckPath);
        Assert.Equal(new Dictionary<string, string> { ["HELLO"] = "world", ["QUOTE"] = "a\"b\\c\n" }, back.Spec.Environment);
        Assert.Equal("public", back.Spec.Access);
        Assert.Empty(back.Spec.Domains);
        Assert.Equal(json, JsonSerializer.Serialize(back, Wire.Json));
    }

    [Fact]
    public void WireNamesAreCamelCase()
    {
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(Sample(), Wire.Json));
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("protocol").GetInt32());
        Assert.Equal("hello-swarm", root.GetProperty("service").GetString());
        Assert.Equal("sha256:ck", root.GetProperty("contentKey").GetString());
        Assert.Equal(120, root.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal(8080, root.GetProperty("spec").GetProperty("port").GetInt32());
        Assert.Equal("/health", root.GetProperty("spec").GetProperty("healthCheckPath").GetString());
    }

    [Fact]
    public void NullImageAndPortAreLeftOut()
    {
        var r = Sample() with { Image = null, Spec = Sample().Spec with { Port = null } };
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(r, Wire.Json));
        Assert.False(doc.RootElement.TryGetProperty("image", out _));
        Assert.False(doc.RootElement.GetProperty("spec").TryGetProperty("port", out _));
        var back = JsonSerializer.Deserialize<DeployRequest>(doc.RootElement.GetRawText(), Wire.Json)!;
        Assert.Null(back.Image);
        Assert.Null(back.Spec.Port);
    }

    [Fact]
    public void MinimalRequestGetsDefaults()
    {
        var back = JsonSerializer.Deserialize<DeployRequest>("""{"protocol":1,"service":"s","contentKey":"k","spec":{}}""", Wire.Json)!;
        Assert.Equal(300, back.TimeoutSeconds);
        Assert.Equal(1, back.Spec.Replicas);
        Assert.Null(back.Spec.Port);
        Assert.Equal("/", back.Spec.HealthCheckPath);
        Assert.Equal("public", back.Spec.Access);
        Assert.Empty(back.Spec.Environment);
    }

    [Theory]
    [InlineData("""{"protocol":1,"service":"s","contentKey":"k","spec":{},"user":"root"}""")]
    [InlineData("""{"protocol":1,"service":"s","contentKey":"k","spec":{"privileged":true}}""")]
    [InlineData("""{"protocol":1,"service":"s","contentKey":"k","spec":{"mounts":["/:/host"]}}""")]
    public void UnknownFieldsAreRejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<DeployRequest>(json, Wire.Json));

    [Theory]
    [InlineData("""{"service":"s","contentKey":"k","spec":{}}""")]
    [InlineData("""{"protocol":1,"contentKey":"k","spec":{}}""")]
    [InlineData("""{"protocol":1,"service":"s","spec":{}}""")]
    [InlineData("""{"protocol":1,"service":"s","contentKey":"k"}""")]
    [InlineData("""{"protocol":1,"service":null,"contentKey":"k","spec":{}}""")]
    [InlineData("""{"protocol":"1","service":"s","contentKey":"k","spec":{}}""")]
    public void MissingOrMistypedRequiredFieldsAreRejected(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<DeployRequest>(json, Wire.Json));

    [Fact]
    public void StatusRequestRejectsUnknownFields()
    {
        Assert.Equal("s", JsonSerializer.Deserialize<ServiceRequest>("""{"protocol":1,"service":"s"}""", Wire.Json)!.Service);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ServiceRequest>("""{"protocol":1,"service":"s","all":true}""", Wire.Json));
    }

    [Fact]
    public void ResponseLineReadLenientlyToleratesUnknownFields()
    {
        const string line = """{"type":"result","outcome":"deployed","release":3,"fromTheFuture":{"x":[1,2]},"url":"http://s.localhost/"}""";
        var r = JsonSerializer.Deserialize<ResponseLine>(line, Wire.LenientJson)!;
        Assert.Equal("result", r.Type);
        Assert.Equal("deployed", r.Outcome);
        Assert.Equal(3, r.Release);
        Assert.Equal("http://s.localhost/", r.Url);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ResponseLine>(line, Wire.Json));
    }

    [Fact]
    public void LenientJsonStillWritesLikeTheWire()
    {
        Assert.Equal(JsonSerializer.Serialize(Sample(), Wire.Json), JsonSerializer.Serialize(Sample(), Wire.LenientJson));
    }

    [Fact]
    public void ErrorLineOmitsNullFields()
    {
        var json = JsonSerializer.Serialize(ResponseLine.Error("FSW2001", "bad name"), Wire.Json);
        using var doc = JsonDocument.Parse(json);
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["code", "message", "type"], names);
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("FSW2001", doc.RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain("null", json);
    }

    [Fact]
    public void ErrorLineWithEmptyDetailsOmitsThem()
    {
        var json = JsonSerializer.Serialize(ResponseLine.Error("FSW4001", "rolled back", []), Wire.Json);
        Assert.DoesNotContain("details", json);
    }

    [Fact]
    public void ErrorLineKeepsDetails()
    {
        var json = JsonSerializer.Serialize(ResponseLine.Error("FSW4001", "rolled back", ["task x: failed", "log"]), Wire.Json);
        var back = JsonSerializer.Deserialize<ResponseLine>(json, Wire.LenientJson)!;
        Assert.Equal(["task x: failed", "log"], back.Details);
    }

    [Fact]
    public void ProgressLine()
    {
        Assert.Equal("""{"type":"progress","message":"hi"}""", JsonSerializer.Serialize(ResponseLine.Progress("hi"), Wire.Json));
    }

    [Fact]
    public void TheTasksCopyAndTheManagersCopySpeakTheSameWire()
    {
        var fromTask = new TaskWire.DeployRequest
        {
            Protocol = TaskWire.Wire.ProtocolVersion,
            Service = "hello-swarm",
            Image = null,
            ContentKey = "sha256:ck",
            Spec = new TaskWire.ServiceSettings
            {
                Port = 8080,
                Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["A"] = "1" },
            },
        };
        var json = JsonSerializer.Serialize(fromTask, TaskWire.Wire.Json);
        var atManager = JsonSerializer.Deserialize<DeployRequest>(json, Wire.Json)!;
        Assert.Equal("hello-swarm", atManager.Service);
        Assert.Null(atManager.Image);
        Assert.Equal(8080, atManager.Spec.Port);
        Assert.Equal("1", atManager.Spec.Environment["A"]);
        Assert.Contains(TaskWire.Wire.ProtocolVersion, Wire.SupportedProtocols);
        Assert.Equal(Wire.Verbs.All, TaskWire.Wire.Verbs.All);
    }

    [Fact]
    public void VerbsAndProtocol()
    {
        Assert.Equal(["deploy", "status", "secret-set", "secret-list", "secret-remove", "config-set", "config-unset", "config-list", "database-info", "database-rotate", "database-drop", "database-backup"], Wire.Verbs.All);
        Assert.Contains(Wire.ProtocolVersion, Wire.SupportedProtocols);
    }
}
