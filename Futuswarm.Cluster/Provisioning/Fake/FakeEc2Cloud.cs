using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>One call the fake cloud took, with what it was about; <see cref="Failed"/> when it was refused.</summary>
public sealed record FakeCall(string Name, string Detail, bool Failed)
{
    public override string ToString() => $"{Name} {Detail}{(Failed ? " (failed)" : "")}";
}

/// <summary>
/// An in-memory EC2 for the network calls, behaving as EC2 does where the provisioning code could go wrong:
/// ids, tags set at creation, Describe filters by tag and field, a main route table and default group with each
/// VPC, and EC2's refusals (DependencyViolation, InvalidPermission.Duplicate, Resource.AlreadyAssociated, ...).
/// It counts every mutating call by name, can refuse the Nth one, and can hide fresh resources for a few reads
/// the way EC2's eventual consistency does.
/// </summary>
public sealed partial class FakeEc2Cloud : IEc2Network
{
    private readonly List<FakeCall> _calls = [];
    private readonly Dictionary<string, int> _invisible = new(StringComparer.Ordinal);
    private int _nextId;
    private int _mutatingSeen;
    private int? _failAt;
    private string _failCode = "InternalError";

    /// <summary>The zones this fake region has; a subnet elsewhere is refused.</summary>
    public IReadOnlySet<string> Zones { get; init; } = new HashSet<string> { "eu-north-1a", "eu-north-1b", "eu-north-1c" };

    /// <summary>How many reads a freshly created resource stays invisible for (0: read-after-create consistent).</summary>
    public int VisibilityLag { get; set; }

    /// <summary>Every mutating call since the last <see cref="ResetCalls"/>, failed ones included.</summary>
    public IReadOnlyList<FakeCall> Calls => _calls;

    public IReadOnlyList<string> CallNames => _calls.Select(c => c.Name).ToList();

    public int ReadCount { get; private set; }

    public void ResetCalls()
    {
        _calls.Clear();
        ReadCount = 0;
    }

    /// <summary>Refuses the <paramref name="n"/>-th mutating call from now (1-based) with <paramref name="code"/>, once.</summary>
    public void FailMutatingCall(int n, string code = "InternalError")
    {
        _failAt = _mutatingSeen + n;
        _failCode = code;
    }

    /// <summary>Counts one mutating call and refuses it when it is the injected failure, before it changes anything.</summary>
    private void Mutating(string name, string detail)
    {
        _mutatingSeen++;
        var fail = _failAt == _mutatingSeen;
        _calls.Add(new FakeCall(name, detail, fail));
        if (!fail) return;
        _failAt = null;
        throw new CloudException(name, _failCode, "injected failure");
    }

    private void Reading() => ReadCount++;

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
}
