using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// The observe -> diff -> plan -> apply cycle shared by every kind. A kind supplies how to find its instances
/// (all tagged for the cluster), which addresses the definition wants, a pure field-by-field diff of one
/// instance, and the create / update / delete calls. Instances tagged for the cluster that the definition
/// does not want are planned for deletion; two instances with one role are refused.
/// </summary>
public abstract class ResourceKind<TObserved> : IResourceKind where TObserved : class
{
    private Dictionary<ResourceAddress, TObserved> _observed = [];

    public abstract string Kind { get; }

    /// <summary>False where replacing means rebuilding the cluster (the VPC): such a plan is refused whole.</summary>
    public virtual bool Replaceable => true;

    /// <inheritdoc cref="IResourceKind.Refusal"/>
    public virtual FswException? Refusal(Change change) =>
        change.Action == ChangeAction.Replace && !Replaceable ? Reconciler.Refusal(change) : null;

    /// <summary>Every instance of this kind tagged <c>futuswarm:cluster</c> for the context's cluster.</summary>
    protected abstract Task<IReadOnlyList<TObserved>> ObserveAsync(ProvisionContext ctx, CancellationToken ct);

    protected abstract string IdOf(TObserved observed);

    protected abstract IReadOnlyDictionary<string, string> TagsOf(TObserved observed);

    /// <summary>The addresses the definition wants of this kind.</summary>
    protected abstract IEnumerable<ResourceAddress> Desired(ProvisionContext ctx);

    /// <summary>Desired against observed for one address: nothing, a create, an update or a replace. Pure.</summary>
    public abstract IReadOnlyList<Change> Diff(ResourceAddress address, TObserved? observed, ProvisionContext ctx);

    /// <summary>
    /// Creates the instance at the change's address, tagged at creation, calls <see cref="ProvisionContext.Created"/>
    /// as soon as the id is known, and returns the id once the instance is visible and complete.
    /// </summary>
    protected abstract Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct);

    protected abstract Task UpdateAsync(Change change, TObserved observed, ProvisionContext ctx, CancellationToken ct);

    protected abstract Task DeleteAsync(TObserved observed, ProvisionContext ctx, CancellationToken ct);

    public async Task<IReadOnlyList<Change>> PlanAsync(ProvisionContext ctx, CancellationToken ct)
    {
        await ObserveIntoAsync(ctx, ct);
        var desired = Desired(ctx).ToList();
        var changes = new List<Change>();
        foreach (var address in desired)
            changes.AddRange(Diff(address, _observed.GetValueOrDefault(address), ctx));
        foreach (var create in changes.Where(c => c.Action == ChangeAction.Create)) ctx.WillCreate(create.Address);
        foreach (var (address, _) in _observed.Where(o => !desired.Contains(o.Key)).OrderBy(o => o.Key.ToString(), StringComparer.Ordinal))
            changes.Add(new Change(address, ChangeAction.Delete, "tagged for the cluster but not in the definition", []));
        return changes;
    }

    public virtual async Task<IReadOnlyList<Change>> PlanDestroyAsync(ProvisionContext ctx, CancellationToken ct)
    {
        await ObserveIntoAsync(ctx, ct);
        // Strays first, then the definition's instances in reverse, so none goes while another still refers to it.
        var desired = Desired(ctx).ToList();
        var order = _observed.Keys.Where(a => !desired.Contains(a)).OrderBy(a => a.ToString(), StringComparer.Ordinal)
            .Concat(Enumerable.Reverse(desired).Where(_observed.ContainsKey));
        return order.Select(a => new Change(a, ChangeAction.Delete, "destroy", [FieldChange.Remove("id", IdOf(_observed[a]))])).ToList();
    }

    public async Task ApplyAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var observed = _observed.GetValueOrDefault(change.Address);
        switch (change.Action)
        {
            case ChangeAction.Create:
                Created(change, await CreateAsync(change, ctx, ct), ctx);
                break;
            case ChangeAction.Update:
                await UpdateAsync(change, Existing(change, observed), ctx, ct);
                ctx.Journal.Record(change.Address, ChangeAction.Update, IdOf(observed!), string.Join("; ", change.Fields));
                break;
            case ChangeAction.Replace:
                if (Refusal(change) is { } refused) throw refused;
                await DeleteAsync(Existing(change, observed), ctx, ct);
                ctx.Journal.Record(change.Address, ChangeAction.Delete, IdOf(observed!), "replaced: " + change.Reason);
                ctx.Forget(change.Address);
                Created(change, await CreateAsync(change, ctx, ct), ctx);
                break;
            case ChangeAction.Delete:
                await DeleteAsync(Existing(change, observed), ctx, ct);
                ctx.Journal.Record(change.Address, ChangeAction.Delete, IdOf(observed!), change.Reason);
                ctx.Forget(change.Address);
                break;
        }
    }

    private static void Created(Change change, string id, ProvisionContext ctx)
    {
        if (!ctx.Journal.Created.Any(e => e.Id == id))
            throw new InvalidOperationException($"{change.Address}: CreateAsync must call ProvisionContext.Created");
        ctx.Known(change.Address, id);
    }

    private static TObserved Existing(Change change, TObserved? observed) =>
        observed ?? throw new InvalidOperationException($"{change.Action} of {change.Address} without an observed instance");

    private async Task ObserveIntoAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var all = await ObserveAsync(ctx, ct);
        var byAddress = all.GroupBy(AddressOf).ToList();
        var twice = byAddress.Where(g => g.Count() > 1).ToList();
        if (twice.Count > 0)
            throw new FswException(ErrorCodes.DuplicateCloudResources,
                string.Join("; ", twice.Select(g => $"{g.Key} is tagged on {string.Join(", ", g.Select(IdOf))}"))
                + $" (cluster \"{ctx.Cluster}\"). Delete the extra ones or remove their {ClusterTags.Cluster} tag, then run again.");
        _observed = byAddress.ToDictionary(g => g.Key, g => g.First());
        foreach (var (address, observed) in _observed) ctx.Known(address, IdOf(observed));
    }

    private ResourceAddress AddressOf(TObserved observed)
    {
        var role = TagsOf(observed).GetValueOrDefault(ClusterTags.Role);
        var parsed = ResourceAddress.Parse(role);
        // A cluster-tagged instance without a readable role of this kind is still ours to clean up: address it by id.
        return parsed is { } a && a.Kind == Kind ? a : new ResourceAddress(Kind, "untagged " + IdOf(observed));
    }
}
