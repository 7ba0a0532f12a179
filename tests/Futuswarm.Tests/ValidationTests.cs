using Futuswarm.Protocol;

namespace Futuswarm.Tests;

public class ValidationTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    // ---- service names ----

    [Theory]
    [InlineData("a")]
    [InlineData("hello-swarm")]
    [InlineData("app1")]
    [InlineData("a-1-b")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghij")] // 40, the maximum
    public void ValidServiceNames(string name) => Assert.Null(Validation.CheckServiceName(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Hello")]
    [InlineData("helloSwarm")]
    [InlineData("1app")]
    [InlineData("-app")]
    [InlineData("app-")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijk")] // 41
    [InlineData("my_app")]
    [InlineData("my.app")]
    [InlineData("my app")]
    [InlineData("äpp")]
    [InlineData("apρ")] // Greek rho
    [InlineData("app\"x")]
    [InlineData("app'x")]
    [InlineData("app;rm")]
    [InlineData("app/x")]
    public void InvalidServiceNames(string? name) => Assert.NotNull(Validation.CheckServiceName(name));

    [Theory]
    [InlineData("futuswarm")]
    [InlineData("futuswarm-edge")]
    [InlineData("futuswarmx")]
    public void ReservedPrefixIsRefused(string name)
    {
        var reason = Validation.CheckServiceName(name);
        Assert.NotNull(reason);
        Assert.Contains("reserved", reason);
    }

    [Fact]
    public void TooLongNameNamesTheLimit() => Assert.Contains("40", Validation.CheckServiceName(new string('a', 41)));

    [Fact]
    public void TrailingNewlineIsRefused() => Assert.NotNull(Validation.CheckServiceName("app\n"));

    [Fact]
    public void TrailingCarriageReturnIsRefused() => Assert.NotNull(Validation.CheckServiceName("app\r\n"));

    [Theory]
    [InlineData("HelloSwarm", "hello-swarm")] // PascalCase words split (kebab-case, commit a847b6b)
    [InlineData("hello", "hello")]
    [InlineData("MyAPI", "my-api")]
    [InlineData("HTTPServer", "httpserver")]
    [InlineData("Web2Api", "web2-api")]
    [InlineData("HelloSwarm.Api", "hello-swarm-api")]
    [InlineData("My.Web_App", "my-web-app")]
    [InlineData("123Api", "api")]
    [InlineData("1-2-Api", "api")]
    [InlineData("My..Web__App", "my-web-app")]
    [InlineData(".Web.", "web")]
    [InlineData("Api2", "api2")]
    public void ToServiceName(string project, string expected) => Assert.Equal(expected, Validation.ToServiceName(project));

    [Fact]
    public void ToServiceNameCutsLongNamesToAValidLabel()
    {
        var name = Validation.ToServiceName("Contoso.Very.Long.Project.Name.For.A.Web.Application.Service");
        Assert.True(name.Length <= Validation.MaxServiceNameLength);
        Assert.Null(Validation.CheckServiceName(name));
        Assert.StartsWith("contoso-very-long", name);

        // A cut that lands on a '-' must not leave it at the end.
        var cut = Validation.ToServiceName(new string('a', 39) + ".Bcd");
        Assert.Equal(new string('a', 39), cut);
        Assert.Null(Validation.CheckServiceName(cut));
    }

    [Fact]
    public void ToServiceNameOfOnlyDigitsIsEmptyAndThusInvalid() => Assert.NotNull(Validation.CheckServiceName(Validation.ToServiceName("123")));

    // ---- ports ----

    [Theory]
    [InlineData(1)]
    [InlineData(80)]
    [InlineData(8080)]
    [InlineData(65535)]
    [InlineData(null)] // none: a worker without a route
    public void ValidPorts(int? port) => Assert.Null(Validation.CheckPort(port));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    public void InvalidPorts(int port) => Assert.NotNull(Validation.CheckPort(port));

    // ---- replicas ----

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(50)]
    public void ValidReplicas(int n) => Assert.Null(Validation.CheckReplicas(n));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(51)]
    public void InvalidReplicas(int n) => Assert.NotNull(Validation.CheckReplicas(n));

    // ---- health check path ----

    [Theory]
    [InlineData("/")]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    [InlineData("/health?full=1")]
    [InlineData("/a-b_c.d~e")]
    public void ValidHealthCheckPaths(string path) => Assert.Null(Validation.CheckHealthCheckPath(path));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("health")]
    [InlineData("http://x/health")]
    [InlineData("/he alth")]
    [InlineData("/health\"")]
    [InlineData("/health\\x")]
    [InlineData("/health#x")]
    [InlineData("/health\n")]
    [InlineData("/health\t")]
    [InlineData("/hëalth")]
    public void InvalidHealthCheckPaths(string? path) => Assert.NotNull(Validation.CheckHealthCheckPath(path));

    [Fact]
    public void HealthCheckPathLengthIsBounded()
    {
        Assert.Null(Validation.CheckHealthCheckPath("/" + new string('a', 199)));
        Assert.NotNull(Validation.CheckHealthCheckPath("/" + new string('a', 200)));
    }

    // ---- environment variables ----

    [Theory]
    [InlineData("HELLO", "world")]
    [InlineData("_X", "")]
    [InlineData("Logging__LogLevel__Default", "Warning")]
    [InlineData("a.b", "c")]
    [InlineData("X", "value with spaces, \"quotes\", = signs and ünicode")]
    [InlineData("X", "multi\nline")]
    public void ValidEnvironmentVariables(string name, string value) => Assert.Null(Validation.CheckEnvironmentVariable(name, value));

    [Theory]
    [InlineData("", "x")]
    [InlineData("1X", "x")]
    [InlineData("A-B", "x")]
    [InlineData("A B", "x")]
    [InlineData("A=B", "x")]
    [InlineData("ÄX", "x")]
    [InlineData("X", "a\0b")]
    [InlineData("FUTUSWARM_SERVICE", "x")]
    [InlineData("FUTUSWARM_", "x")]
    public void InvalidEnvironmentVariables(string name, string value) => Assert.NotNull(Validation.CheckEnvironmentVariable(name, value));

    [Fact]
    public void EnvironmentValueSizeIsBounded()
    {
        Assert.Null(Validation.CheckEnvironmentVariable("X", new string('v', 32 * 1024)));
        Assert.NotNull(Validation.CheckEnvironmentVariable("X", new string('v', 32 * 1024 + 1)));
        Assert.NotNull(Validation.CheckEnvironmentVariable(new string('X', 201), "v"));
    }

    [Fact]
    public void EnvironmentNameWithTrailingNewlineIsRefused() => Assert.NotNull(Validation.CheckEnvironmentVariable("X\n", "v"));

    [Fact]
    public void NulAndReservedPrefixNameTheVariable()
    {
        Assert.Contains("NUL", Validation.CheckEnvironmentVariable("SECRET", "a\0b"));
        Assert.Contains("FUTUSWARM_X", Validation.CheckEnvironmentVariable("FUTUSWARM_X", "v"));
    }

    // ---- deploy timeout ----

    [Theory]
    [InlineData(10)]
    [InlineData(300)]
    [InlineData(3600)]
    public void ValidDeployTimeouts(int s) => Assert.Null(Validation.CheckDeployTimeout(s));

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(3601)]
    [InlineData(-300)]
    public void InvalidDeployTimeouts(int s) => Assert.NotNull(Validation.CheckDeployTimeout(s));

    // ---- image references ----

    [Theory]
    [InlineData("localhost:5000/hello-swarm@sha256:" + Hex64)]
    [InlineData("docker.io/acme/app@sha256:" + Hex64)]
    [InlineData("registry.example.com/team/sub/app@sha256:" + Hex64)]
    [InlineData("ghcr.io/acme/my_app@sha256:" + Hex64)]
    [InlineData("localhost:5000/a__b@sha256:" + Hex64)]
    public void DigestReferencesAreAccepted(string image) => Assert.Null(Validation.CheckImageReference(image));

    [Theory]
    [InlineData("localhost:5000/hello-swarm:latest")]
    [InlineData("localhost:5000/hello-swarm")]
    [InlineData("docker.io/acme/app:1.0")]
    [InlineData("localhost:5000/hello-swarm@sha256:" + "0123")]
    [InlineData("localhost:5000/hello-swarm@sha256:" + Hex64 + "00")]
    [InlineData("localhost:5000/hello-swarm@sha256:" + "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("localhost:5000/hello-swarm@sha512:" + Hex64)]
    [InlineData("localhost:5000/hello-swarm@" + Hex64)]
    [InlineData("localhost:5000/Hello@sha256:" + Hex64)]
    [InlineData("hello-swarm@sha256:" + Hex64)]
    [InlineData("localhost:5000/hello swarm@sha256:" + Hex64)]
    [InlineData("localhost:5000/app;rm -rf@sha256:" + Hex64)]
    [InlineData("")]
    public void OtherReferencesAreRefused(string image) => Assert.NotNull(Validation.CheckImageReference(image));

    [Fact]
    public void DigestReferenceWithTrailingNewlineIsRefused() =>
        Assert.NotNull(Validation.CheckImageReference("localhost:5000/hello-swarm@sha256:" + Hex64 + "\n"));
}
