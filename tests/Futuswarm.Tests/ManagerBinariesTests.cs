using System.Text;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Tests;

/// <summary>The manager binaries: skipped (the archive never made) when the node has the fingerprint; otherwise
/// unpacked beside the old ones, fingerprinted, then swapped in.</summary>
public class ManagerBinariesTests
{
    readonly List<string> _log = [];
    int _archives;
    static readonly ManagerPaths Paths = new(ManagerTestSpecs.Root);

    ManagerServicesSpec Services(string fingerprint) => ManagerTestSpecs.Services() with
    {
        Bundle = new ManagerBundle(fingerprint, _ => { _archives++; return Task.FromResult("tar.gz"u8.ToArray()); }),
    };

    Task<StepResult> RunAsync(FakeManagerNode node, string fingerprint) =>
        ManagerTestSpecs.RunStepAsync(node, ManagerTestSpecs.Node(Services(fingerprint)), _log, new ManagerBinariesStep());

    [Fact]
    public async Task SameFingerprintSkipsWithoutMakingTheArchive()
    {
        var node = new FakeManagerNode();
        node.Files[Paths.BinariesFingerprint] = ("sha-aaaaaaaaaaaa\n"u8.ToArray(), (UnixFileMode)0b110_100_100);
        node.Files[Paths.ClusterDll] = ("old"u8.ToArray(), (UnixFileMode)0b110_100_100);
        var r = await RunAsync(node, "sha-aaaaaaaaaaaa");
        Assert.False(r.Changed);
        Assert.Equal(0, _archives);
        Assert.Empty(node.Writes);
        Assert.DoesNotContain(node.Commands, FakeManagerNode.IsMutating);
    }

    [Fact]
    public async Task AnotherFingerprintInstallsWholeAndFingerprintsLast()
    {
        var node = new FakeManagerNode();
        node.Files[Paths.BinariesFingerprint] = ("sha-old-000000000"u8.ToArray(), (UnixFileMode)0b110_100_100);
        node.Files[Paths.Lib + "/stale.dll"] = ("stale"u8.ToArray(), (UnixFileMode)0b110_100_100);
        var r = await RunAsync(node, "sha-new-111111111");
        Assert.True(r.Changed);
        Assert.Equal(1, _archives);
        Assert.Equal("sha-new-111111111", node.Text(Paths.BinariesFingerprint));
        Assert.True(node.Files.ContainsKey(Paths.ClusterDll));
        Assert.False(node.Files.ContainsKey(Paths.Lib + "/stale.dll")); // replaced whole, not merged
        Assert.DoesNotContain(node.Files.Keys, f => f.StartsWith(Paths.Lib + ".", StringComparison.Ordinal)); // no .new/.old left
        Assert.DoesNotContain(node.Files.Keys, f => f.EndsWith(".tar.gz", StringComparison.Ordinal)); // the bundle file went

        // The fingerprint went into the staging copy before the swap: a torn install never looks complete.
        var tar = node.Events.FindIndex(e => e.StartsWith("run tar ", StringComparison.Ordinal));
        var staged = node.Events.IndexOf($"write {Paths.Lib}.new/.source-fingerprint");
        var swap = node.Events.IndexOf($"run mv {Paths.Lib}.new {Paths.Lib}");
        Assert.True(tar >= 0 && tar < staged && staged < swap, string.Join('\n', node.Events));
        var bundle = node.Writes.Single(w => w.EndsWith(".tar.gz", StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, node.WrittenModes[bundle]);

        node.Commands.Clear();
        Assert.False((await RunAsync(node, "sha-new-111111111")).Changed);
        Assert.Equal(1, _archives);
    }
}
