using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Tests;

/// <summary>The database-master step runs the installed binaries' ensure-database-master with the daemon's environment,
/// on the first manager only, and reports "nothing changed" as a skip. A stand-in launcher records what it got.</summary>
public sealed class DatabaseMasterStepTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("fsw-dbmaster-").FullName;

    NodeSpec Spec(NodeRole role, string launcher, bool ensure = true) => new()
    {
        Name = "manager-1",
        Role = role,
        ManagerAddress = role == NodeRole.FirstManager ? null : "10.0.1.10:2377",
        WorkDir = Path.Combine(root, "work"),
        ManagerServices = new ManagerServicesSpec
        {
            Root = root,
            DaemonConfigJson = "{}",
            Bundle = new ManagerBundle("fingerprint-1", _ => throw new InvalidOperationException("not needed")),
            Launcher = [launcher],
            EnsureDatabaseMaster = ensure,
        },
    };

    string Launcher(string lastLine)
    {
        var path = Path.Combine(root, "launcher");
        File.WriteAllText(path, $"#!/bin/sh\necho \"args: $*\" > {root}/got\necho \"env: $FSW_TEST_VALUE\" >> {root}/got\necho '{lastLine}'\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    [Fact]
    public async Task RunsWithTheDaemonsEnvironmentAndArguments()
    {
        var launcher = Launcher("database: futuswarm_master on db:5432 is set up");
        // A value a shell would execute if the environment file were not quoted: it must arrive as data.
        File.WriteAllText(Path.Combine(root, "managerd.env"), "FSW_TEST_VALUE='a $(touch " + root + "/pwned) b'\n");
        using var shell = new LocalNodeShell();
        var spec = Spec(NodeRole.FirstManager, launcher);
        var results = await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, _ => { }), [new DatabaseMasterStep()]);

        var r = Assert.Single(results);
        Assert.True(r.Changed);
        Assert.Equal("database: futuswarm_master on db:5432 is set up", r.Detail);
        var got = File.ReadAllLines(Path.Combine(root, "got"));
        Assert.Equal($"args: ensure-database-master --config {Path.Combine(root, "managerd.json")}", got[0]);
        Assert.Equal($"env: a $(touch {root}/pwned) b", got[1]);
        Assert.False(File.Exists(Path.Combine(root, "pwned")));
    }

    [Fact]
    public async Task NothingChangedIsASkip()
    {
        File.WriteAllText(Path.Combine(root, "managerd.env"), "");
        using var shell = new LocalNodeShell();
        var spec = Spec(NodeRole.FirstManager, Launcher("database: futuswarm_master on db:5432 was already set up; nothing changed"));
        var r = Assert.Single(await NodeBootstrap.RunAsync(new NodeContext(shell, shell, spec, null, _ => { }), [new DatabaseMasterStep()]));
        Assert.False(r.Changed);
    }

    [Fact]
    public void OnlyTheFirstManagerOfAClusterWithProvisionedDatabaseRunsIt()
    {
        var step = new DatabaseMasterStep();
        Assert.True(step.AppliesTo(Spec(NodeRole.FirstManager, "/bin/true")));
        Assert.False(step.AppliesTo(Spec(NodeRole.Manager, "/bin/true")));
        Assert.False(step.AppliesTo(Spec(NodeRole.FirstManager, "/bin/true", ensure: false)));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
