using Futuswarm.Protocol;
using System.Diagnostics;

namespace Futuswarm.IntegrationTests;

/// <summary>Each transport failure has its own code and a message that says what to change; nothing is deployed.</summary>
public sealed class TransportErrorTests : IDisposable
{
    private readonly AppProject _app = new(TestCluster.NewServiceName("transport"));

    private async Task AssertFailsWith(string code, string messagePart, params string[] args)
    {
        var result = await Dotnet.DeployAsync(_app.ProjectFile, args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"error {code}", result.Output);
        Assert.Contains(messagePart, result.Output);
        Assert.Null(await SwarmService.InspectAsync(_app.ServiceName));
    }

    [Fact]
    public async Task Unknown_host_key_is_FSW1001()
    {
        using var profile = new ProfileVariant(knownHosts: "");
        await AssertFailsWith("FSW1001", "cannot be verified", profile.Args);
    }

    [Fact]
    public async Task Changed_host_key_is_FSW1002()
    {
        using var other = new SshKeyPair();
        var alias = TestCluster.Profile.GetProperty("hostKeyAlias").GetString();
        var fake = string.Join(' ', other.PublicKey.Split(' ').Take(2));
        using var profile = new ProfileVariant(knownHosts: $"{alias} {fake}\n");
        await AssertFailsWith("FSW1002", "different host key", profile.Args);
    }

    [Fact]
    public async Task Refused_key_is_FSW1003()
    {
        using var stranger = new SshKeyPair();
        using var profile = new ProfileVariant(p => p["identityFile"] = stranger.PrivateKeyFile);
        await AssertFailsWith("FSW1003", "refused your SSH key", profile.Args);
    }

    [Fact]
    public async Task Unreachable_manager_is_FSW1004()
    {
        using var profile = new ProfileVariant(p => p["manager"] = "127.0.0.1:1");
        await AssertFailsWith("FSW1004", "cannot be reached", profile.Args);
    }

    [Fact]
    public async Task No_cluster_selected_is_FSW0001_and_lists_profiles()
    {
        var result = await Dotnet.RunAsync(["publish", _app.ProjectFile, "-t:SwarmDeploy", "-nodeReuse:false", "-nologo"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error FSW0001", result.Output);
        Assert.Contains("local", result.Output);
    }

    [Fact]
    public async Task Protocol_mismatch_is_FSW1005_naming_both_versions()
    {
        var (stdout, exit) = await RawSsh.SendAsync("deploy", "{\"protocol\":99,\"service\":\"x\"}");
        Assert.NotEqual(255, exit);
        Assert.Contains("\"code\":\"FSW1005\"", stdout);
        Assert.Contains("protocol 99", stdout);
        Assert.Contains("speaks 1, 2", stdout);
    }

    [Fact]
    public async Task Unknown_verb_is_refused_by_the_relay_without_a_shell()
    {
        var (stdout, exit) = await RawSsh.SendAsync("deploy; touch /tmp/fsw-pwned", "{}");
        Assert.Contains("\"code\":\"FSW2008\"", stdout);
        Assert.NotEqual(255, exit);
        Assert.False(File.Exists("/tmp/fsw-pwned"));
    }

    [Fact]
    public async Task Unknown_fields_are_refused_FSW2007()
    {
        var (stdout, _) = await RawSsh.SendAsync("status", "{\"protocol\":1,\"service\":\"x\",\"evil\":true}");
        Assert.Contains("\"code\":\"FSW2007\"", stdout);
    }

    public void Dispose() => _app.Dispose();
}

/// <summary>The ssh client called directly with the profile's settings, to send documents the SDK never would.</summary>
public static class RawSsh
{
    public static async Task<(string Stdout, int Exit)> SendAsync(string verb, string json, string? identityFile = null)
    {
        var p = TestCluster.Profile;
        var knownHosts = Path.GetFullPath(p.GetProperty("knownHostsFile").GetString()!, TestCluster.ProfilesDirectory);
        var manager = p.GetProperty("manager").GetString()!;
        var psi = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        var id = identityFile ?? (p.TryGetProperty("identityFile", out var i) ? i.GetString() : null);
        var (host, port) = ManagerEndpoint.ParseAddress(manager);
        var args = SshArguments.For(new ManagerEndpoint(host, port, p.GetProperty("user").GetString()!, knownHosts,
            p.GetProperty("hostKeyAlias").GetString()!, id), verb);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var proc = Process.Start(psi)!;
        await proc.StandardInput.WriteAsync(json);
        proc.StandardInput.Close();
        var stdout = await proc.StandardOutput.ReadToEndAsync();
        await proc.WaitForExitAsync();
        return (stdout, proc.ExitCode);
    }
}
