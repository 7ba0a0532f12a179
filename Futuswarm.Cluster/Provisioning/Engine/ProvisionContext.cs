namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// What one plan, apply or destroy run knows as it goes, in dependency order: the ids of the cluster's resources
/// observed or created so far (children need their parents' ids; rules name groups by address, not by id), the
/// journal and the waits. A fresh context per run: nothing here is kept between runs.
/// </summary>
public sealed class ProvisionContext(string cluster, WaitOptions? waits = null, ApplyJournal? journal = null, Action<string>? log = null)
{
    private readonly Dictionary<ResourceAddress, string> _ids = [];
    private readonly Dictionary<string, ResourceAddress> _addresses = new(StringComparer.Ordinal);
    private readonly List<Change> _deferred = [];
    private readonly HashSet<ResourceAddress> _toCreate = [];

    public string Cluster { get; } = cluster;
    public WaitOptions Waits { get; } = waits ?? WaitOptions.Default;
    public ApplyJournal Journal { get; } = journal ?? new ApplyJournal(log);
    public Action<string> Log { get; } = log ?? (_ => { });

    /// <summary>The placeholder a plan shows for an id that only apply will know.</summary>
    public const string KnownAfterApply = "(known after apply)";

    public IReadOnlyDictionary<string, string> TagsFor(ResourceAddress address) => ClusterTags.For(Cluster, address);

    public void Known(ResourceAddress address, string id)
    {
        if (_ids.TryGetValue(address, out var old)) _addresses.Remove(old);
        _ids[address] = id;
        _addresses[id] = address;
    }

    /// <summary>
    /// Called by a kind the moment the cloud hands out an id, before waiting or further calls, so the journal
    /// names the resource even when a later step of its creation fails.
    /// </summary>
    public void Created(ResourceAddress address, string id, string detail)
    {
        Known(address, id);
        Journal.Record(address, ChangeAction.Create, id, detail);
    }

    public void Forget(ResourceAddress address)
    {
        if (_ids.Remove(address, out var id)) _addresses.Remove(id);
    }

    public string? IdOf(ResourceAddress address) => _ids.GetValueOrDefault(address);

    /// <summary>Recorded by a kind's plan for each resource it would create, so a later kind's plan can show what it
    /// will do with it (a registration of an instance that only this run's apply makes) instead of leaving it out.</summary>
    public void WillCreate(ResourceAddress address) => _toCreate.Add(address);

    /// <summary>True when this run plans to create <paramref name="address"/> (see <see cref="WillCreate"/>).</summary>
    public bool IsToBeCreated(ResourceAddress address) => _toCreate.Contains(address);

    /// <summary>The id, or the plan's placeholder while the resource does not exist yet.</summary>
    public string IdOrPlaceholder(ResourceAddress address) => IdOf(address) ?? KnownAfterApply;

    /// <summary>Which of the cluster's resources an id is, if any (a rule's source group, a route's target).</summary>
    public ResourceAddress? AddressOf(string id) => _addresses.TryGetValue(id, out var a) ? a : null;

    /// <summary>The id, failing clearly when apply order is broken (a parent applied after its child).</summary>
    public string RequireId(ResourceAddress address) =>
        IdOf(address) ?? throw new InvalidOperationException($"{address} has no id yet: it must be applied before the resources that use it");

    /// <summary>
    /// A context for a dry run within this one: the ids known so far (an earlier layer's subnets, the instances) and
    /// nothing else, so a layer's preview sees what its real plan will see instead of every other layer as missing.
    /// </summary>
    public ProvisionContext ForPreview()
    {
        var preview = new ProvisionContext(Cluster, Waits);
        foreach (var (address, id) in _ids) preview.Known(address, id);
        return preview;
    }

    /// <summary>Takes the ids a preview observed, when the preview is all a run does (a converged layer makes no second plan).</summary>
    public void LearnFrom(ProvisionContext preview)
    {
        foreach (var (address, id) in preview._ids) Known(address, id);
    }

    /// <summary>
    /// Changes a kind planned but cannot make yet (the HTTPS listener waits for its certificate's DNS validation):
    /// apply skips them without failing the run, the caller reports them, and a later run makes them.
    /// </summary>
    public IReadOnlyList<Change> Deferred => _deferred;

    public void Defer(Change change)
    {
        _deferred.Add(change);
        Log($"{change.Address}: not made in this run: {change.Reason}");
    }
}
