using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// An in-memory EC2 for the network calls, behaving as EC2 does where the provisioning code could go wrong:
/// ids, tags set at creation, Describe filters by tag and field, a main route table and default group with each
/// VPC, and EC2's refusals (DependencyViolation, InvalidPermission.Duplicate, Resource.AlreadyAssociated, ...).
/// It counts every mutating call by name, can refuse the Nth one, and can hide fresh resources for a few reads
/// the way EC2's eventual consistency does.
/// </summary>
public sealed partial class FakeEc2Cloud() : FakeCloud("InternalError"), IEc2Network
{
    private readonly Dictionary<string, int> _invisible = new(StringComparer.Ordinal);
    private int _nextId;

    /// <summary>The zones this fake region has; a subnet elsewhere is refused.</summary>
    public IReadOnlySet<string> Zones { get; init; } = new HashSet<string> { "eu-north-1a", "eu-north-1b", "eu-north-1c" };

    /// <summary>How many reads a freshly created resource stays invisible for (0: read-after-create consistent).</summary>
    public int VisibilityLag { get; set; }

    private string NewId(string prefix)
    {
        var id = $"{prefix}-{++_nextId:x17}";
        if (VisibilityLag > 0) _invisible[id] = VisibilityLag;
        return id;
    }

    /// <summary>False (and one read used up) while a fresh resource is not yet visible.</summary>
    private bool Visible(string id)
    {
        if (!_invisible.TryGetValue(id, out var left)) return true;
        if (left <= 1) _invisible.Remove(id);
        else _invisible[id] = left - 1;
        return false;
    }

    private static CloudException Error(string call, string code, string message) => new(call, code, message);

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> tags) => new(tags, StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, string> Snapshot(Dictionary<string, string> tags) =>
        new SortedDictionary<string, string>(tags, StringComparer.Ordinal);

    protected override Exception InjectedFailure(string call, string code) => new CloudException(call, code, "injected failure");
}
