namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>One call a fake cloud took, with what it was about; <see cref="Failed"/> when it was refused.</summary>
public sealed record FakeCall(string Name, string Detail, bool Failed)
{
    public override string ToString() => $"{Name} {Detail}{(Failed ? " (failed)" : "")}";
}

/// <summary>
/// What every in-memory cloud shares: it counts each mutating call by name (so a test can assert a converged run
/// made none) and each read, and refuses the Nth mutating call once, before it changes anything, with the error
/// the real client would throw (<see cref="InjectedFailure"/>).
/// </summary>
public abstract class FakeCloud(string defaultFailCode)
{
    private readonly List<FakeCall> _calls = [];
    private int _mutatingSeen;
    private int? _failAt;
    private string _failCode = defaultFailCode;

    /// <summary>Every mutating call since the last <see cref="ResetCalls"/>, failed ones included.</summary>
    public IReadOnlyList<FakeCall> Calls => _calls;

    public IReadOnlyList<string> CallNames => _calls.Select(c => c.Name).ToList();

    public int ReadCount { get; private set; }

    public void ResetCalls()
    {
        _calls.Clear();
        ReadCount = 0;
    }

    /// <summary>Refuses the <paramref name="n"/>-th mutating call from now (1-based) with <paramref name="code"/>
    /// (the service's own internal-error code when null), once.</summary>
    public void FailMutatingCall(int n, string? code = null)
    {
        _failAt = _mutatingSeen + n;
        _failCode = code ?? defaultFailCode;
    }

    /// <summary>Counts one mutating call and refuses it when it is the injected failure.</summary>
    protected void Mutating(string name, string detail)
    {
        _mutatingSeen++;
        var fail = _failAt == _mutatingSeen;
        _calls.Add(new FakeCall(name, detail, fail));
        if (!fail) return;
        _failAt = null;
        throw InjectedFailure(name, _failCode);
    }

    protected void Reading() => ReadCount++;

    /// <summary>Every resource tagged <c>futuswarm:cluster=<paramref name="cluster"/></c> and still there, as "kind id":
    /// what a destroy must leave empty (but for what it promises to keep).</summary>
    public abstract IReadOnlyList<string> Tagged(string cluster);

    /// <summary>The exception the real client throws when the service refuses <paramref name="call"/> with <paramref name="code"/>.</summary>
    protected abstract Exception InjectedFailure(string call, string code);
}
