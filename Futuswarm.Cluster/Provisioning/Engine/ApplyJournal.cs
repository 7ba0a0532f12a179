namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>One thing an apply did to the cloud.</summary>
public sealed record JournalEntry(ResourceAddress Address, ChangeAction Action, string Id, string Detail)
{
    public override string ToString() => $"{Action.ToString().ToLowerInvariant()} {Address} {Id}: {Detail}";
}

/// <summary>
/// What an apply did, kept by the caller so that it survives a failure half-way: the report names what
/// exists now. It is not a state file: the next run observes the cloud by tags and needs none of it.
/// </summary>
public sealed class ApplyJournal
{
    private readonly List<JournalEntry> _entries = [];
    private readonly Action<string>? _log;

    public ApplyJournal(Action<string>? log = null) => _log = log;

    public IReadOnlyList<JournalEntry> Entries => _entries;

    public IEnumerable<JournalEntry> Created => _entries.Where(e => e.Action == ChangeAction.Create);

    public void Record(ResourceAddress address, ChangeAction action, string id, string detail)
    {
        var entry = new JournalEntry(address, action, id, detail);
        _entries.Add(entry);
        _log?.Invoke(entry.ToString());
    }
}
