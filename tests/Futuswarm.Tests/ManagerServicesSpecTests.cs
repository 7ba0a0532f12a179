using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>NodeSpec.Validate() refuses bad manager services (FSW6045) before any step runs a command built from them.</summary>
public class ManagerServicesSpecTests
{
    static FswException Refused(ManagerServicesSpec services, NodeRole role = NodeRole.FirstManager)
    {
        var e = Assert.Throws<FswException>(() => ManagerTestSpecs.Node(services, role).Validate());
        Assert.Equal(ErrorCodes.NodeSpecInvalid, e.Code);
        return e;
    }

    [Fact]
    public void AGoodSpecPasses() => ManagerTestSpecs.Node(ManagerTestSpecs.Services()).Validate();

    [Theory]
    [InlineData("opt/futuswarm")]
    [InlineData("/opt/../etc")]
    [InlineData("/opt/futu swarm")]
    [InlineData("/opt/$(id)")]
    [InlineData("")]
    public void BadRootPath(string root)
    {
        var e = Refused(ManagerTestSpecs.Services() with { Root = root });
        Assert.Contains("manager root", e.Message);
    }

    [Theory]
    [InlineData("/usr/bin/dotnet", "x;reboot")]
    [InlineData("/usr/bin/dotnet", "$(id)")]
    [InlineData("/usr/bin/dotnet", "a b")]
    [InlineData("/usr/bin/dotnet", "`id`")]
    [InlineData("dotnet", "x.dll")]
    public void LauncherWithAShellMetacharacter(string program, string arg)
    {
        var e = Refused(ManagerTestSpecs.Services() with { Launcher = [program, arg] });
        Assert.Contains("launcher", e.Message);
    }

    [Fact]
    public void EmptyLauncher() => Assert.Contains("launcher", Refused(ManagerTestSpecs.Services() with { Launcher = [] }).Message);

    [Theory]
    [InlineData(22)]
    [InlineData(0)]
    [InlineData(70000)]
    public void ApiPortAdminOrOutOfRange(int port) =>
        Assert.Contains($"API port {port}", Refused(ManagerTestSpecs.Services() with { ApiPort = port }).Message);

    [Fact]
    public void ListenAddressMustBeAnAddress() =>
        Assert.Contains("not an IP address", Refused(ManagerTestSpecs.Services() with { ApiListenAddress = "0.0.0.0; reboot" }).Message);

    [Theory]
    [InlineData("aws_secret")]
    [InlineData("1ABC")]
    [InlineData("A-B")]
    [InlineData("A B")]
    public void EnvironmentNameMustBeUpperCase(string name)
    {
        var e = Refused(ManagerTestSpecs.Services() with { DaemonEnvironment = new Dictionary<string, string> { [name] = "v" } });
        Assert.Contains($"'{name}' must be A-Z", e.Message);
    }

    [Theory]
    [InlineData("line1\nsecret-after-newline")]
    [InlineData("nul\0secret-after-nul")]
    public void EnvironmentValueWithNewlineOrNulIsRefusedWithoutTheValue(string value)
    {
        var e = Refused(ManagerTestSpecs.Services() with { DaemonEnvironment = new Dictionary<string, string> { ["S3_SECRET"] = value } });
        Assert.Contains("S3_SECRET", e.Message);
        Assert.DoesNotContain("secret-after", e.Message); // the value may be a secret: neither half is quoted
        Assert.DoesNotContain(e.Details, d => d.Contains("secret-after"));
    }

    [Fact]
    public void AWorkerRunsNoManagerServices()
    {
        var e = Refused(ManagerTestSpecs.Services(), NodeRole.Worker);
        Assert.Contains("a worker runs no manager services", e.Message);
    }

    [Fact]
    public void HostKeyMustBeOneEd25519PublicKey()
    {
        var source = new ApiHostKeySource("ssh-rsa AAAAB3Nza", _ => Task.FromResult(Array.Empty<byte>()));
        Assert.Contains("ssh-ed25519", Refused(ManagerTestSpecs.Services() with { HostKey = source }).Message);
    }

    [Fact]
    public void EveryProblemIsListed()
    {
        var e = Refused(ManagerTestSpecs.Services() with { Root = "x", ApiPort = 22, Launcher = [] });
        Assert.Equal(3, e.Details.Count);
    }
}
