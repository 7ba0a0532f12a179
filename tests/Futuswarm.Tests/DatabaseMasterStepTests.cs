using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Tests;

/// <summary>The database-master step's fixed script, run for real by sh: the daemon's environment file is loaded as data
/// (a hostile value runs nothing), the launcher gets exactly its arguments, and the command's own report decides
/// whether the step changed anything.</summary>
public sealed class DatabaseMasterStepTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("futuswarm-dbmaster-");

    public void Dispose() => _root.Delete(recursive: true);

    private async Task<StepResult> RunAsync(string hostile)
    {
        var launcher = Path.Combine(_root.FullName, "fake-cluster");
        // Prints what it got; a second run reports "nothing changed" as the real command does.
        await File.WriteAllTextAsync(launcher, """
            #!/bin/sh
            { printf 'env=%s\n' "$FSW_TEST_VALUE"; printf 'arg=%s\n' "$@"; } > "$(dirname "$0")/seen"
            if [ -e "$(dirname "$0")/done" ]; then echo "database: futuswarm_master on db:5432 was already set up; nothing changed"
            else : > "$(dirname "$0")/done"; echo "database: futuswarm_master on db:5432 is set up"; fi
            """.Replace("\r", ""));
        File.SetUnixFileMode(launcher, (UnixFileMode)0b111_101_101);
        var services = new ManagerServicesSpec
        {
            Root = _root.FullName,
            DaemonConfigJson = "{}",
            DaemonEnvironment = new Dictionary<string, string> { ["FSW_TEST_VALUE"] = hostile },
            Bundle = new ManagerBundle("test-0123456789", _ => Task.FromResult(Array.Empty<byte>())),
            Launcher = [launcher],
            EnsureDatabaseMaster = true,
            Supervisor = ServiceSupervisorKind.PidFile,
        };
        var spec = new NodeSpec { Name = "local", Role = NodeRole.FirstManager, ManagerServices = services }.Validate();
        using var shell = new LocalNodeShell();
        var results = await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, _ => { }), [new DatabaseMasterStep()], default);
        return Assert.Single(results);
    }

    [Fact]
    public async Task The_environment_is_data_and_the_arguments_are_exact_and_a_second_run_changes_nothing()
    {
        const string hostile = "a 'b' $(touch pwned) `touch pwned2`; touch pwned3";

        var first = await RunAsync(hostile);
        var second = await RunAsync(hostile);

        Assert.True(first.Changed);
        Assert.Equal("database: futuswarm_master on db:5432 is set up", first.Detail);
        Assert.False(second.Changed);
        Assert.Contains("nothing changed", second.Detail);
        Assert.Empty(_root.EnumerateFiles("pwned*", SearchOption.AllDirectories));
        Assert.Empty(new DirectoryInfo(Environment.CurrentDirectory).EnumerateFiles("pwned*"));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(_root.FullName, "managerd.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_root.FullName, "managerd.env")));
        // The launcher saw the value verbatim and exactly its three arguments.
        Assert.Equal($"env={hostile}\narg=ensure-database-master\narg=--config\narg={Path.Combine(_root.FullName, "managerd.json")}\n",
            File.ReadAllText(Path.Combine(_root.FullName, "seen")));
    }
}
