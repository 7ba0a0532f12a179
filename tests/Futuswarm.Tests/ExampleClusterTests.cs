using Futuswarm.Cluster.Provisioning;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Fake;
using Futuswarm.Cluster.Provisioning.Operations;

namespace Futuswarm.Tests;

/// <summary>The example cluster (docs/examples/cluster.json) against the fake clouds: its stores in a temporary
/// directory removed afterwards, and the log of what the operations did.</summary>
public abstract class ExampleClusterTests : IDisposable
{
    protected readonly ClusterDefinition _definition =
        ClusterDefinitionLoader.Load(Path.Combine(RepoRoot.Path, "docs", "examples", "cluster.json"));
    protected readonly DirectoryInfo _stores;
    protected readonly FakeClusterClouds _fakes;
    protected readonly List<string> _log = [];

    protected ExampleClusterTests(string storesPrefix)
    {
        _stores = Directory.CreateTempSubdirectory(storesPrefix);
        _fakes = new FakeClusterClouds(_definition.Region, ClusterPlanner.NetworkOf(_definition).Zones, _stores.FullName);
    }

    public void Dispose() => _stores.Delete(recursive: true);

    /// <summary>The operations on the fake clouds, of the example or of <paramref name="definition"/>, without waits.</summary>
    protected ClusterOperations Operations(ClusterDefinition? definition = null) =>
        new(definition ?? _definition, _fakes.Clouds, _log.Add, WaitOptions.Immediate);
}
