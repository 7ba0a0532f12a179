using System.Diagnostics;
using System.Text;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Tests;

/// <summary>The daemon's environment file: root-only, and read by the launcher's real /bin/sh as data, byte for byte,
/// whatever the values hold.</summary>
public class ManagerDaemonEnvironmentTests
{
    [Fact]
    public async Task EnvironmentFileIs0600AndTheLauncherShellReadsValuesExactlyAndRunsNothing()
    {
        using var dir = new TempDirectory();
        var canary = Path.Combine(dir.Path, "pwned");
        var hostile = $"it's a $(touch {canary}) `touch {canary}` \"q\" \\ ; & | * ~ $HOME ${{PATH}} é 'x'";
        var services = ManagerTestSpecs.Services() with
        {
            Root = dir.Path,
            // The launcher's exec target here is a fixed script that prints the two variables, NUL-separated.
            Launcher = [Path.Combine(dir.Path, "show")],
            DaemonEnvironment = new Dictionary<string, string> { ["B_PLAIN"] = "plain", ["A_HOSTILE"] = hostile },
        };
        var paths = services.Paths;
        var node = ManagerTestSpecs.FakeNode(services);
        await ManagerTestSpecs.RunStepAsync(node, ManagerTestSpecs.Node(services), [], new ManagerDaemonStep());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, node.WrittenModes[paths.DaemonEnvironment]);
        var env = node.Text(paths.DaemonEnvironment);
        Assert.StartsWith("A_HOSTILE='", env); // sorted, quoted
        Assert.DoesNotContain(node.Commands, c => c.Any(a => a.Contains("A_HOSTILE") || a.Contains(hostile)));
        Assert.DoesNotContain(hostile, File.Exists(paths.DaemonConfig) ? File.ReadAllText(paths.DaemonConfig) : "");

        // What the step wrote, put on disk as written, run by the real sh.
        Write(paths.DaemonEnvironment, env);
        Write(paths.DaemonLauncher, node.Text(paths.DaemonLauncher));
        Write(Path.Combine(dir.Path, "show"), "#!/bin/sh\nprintf '%s\\0%s' \"$A_HOSTILE\" \"$B_PLAIN\"\n");
        File.SetUnixFileMode(Path.Combine(dir.Path, "show"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        psi.ArgumentList.Add(paths.DaemonLauncher);
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, error);
        Assert.Equal(hostile + "\0plain", output);
        Assert.False(File.Exists(canary), "a value was executed by the launcher's shell");
    }

    static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
