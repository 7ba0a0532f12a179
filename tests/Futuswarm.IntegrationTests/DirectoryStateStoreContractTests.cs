using Futuswarm.Cluster.State;

namespace Futuswarm.IntegrationTests;

/// <summary>The store contract on the directory store (a fresh directory per test).</summary>
public sealed class DirectoryStateStoreContractTests : StateStoreContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fsw-store-" + Guid.NewGuid().ToString("N"));

    public DirectoryStateStoreContractTests() => Store = new LocalDirectoryStore(_root);

    protected override IStateStore Store { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
