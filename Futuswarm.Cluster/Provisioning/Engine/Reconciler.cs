using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// Runs the kinds of one layer of the cluster in dependency order: plan (observe and diff, no mutating call),
/// apply (each kind re-observed just before its changes, so children see their parents' fresh ids) and
/// destroy (reverse order). Idempotency comes from observing by tags: a converged cloud plans nothing and
/// an apply after a failure half-way picks up what exists.
/// </summary>
public sealed class Reconciler(IReadOnlyList<IResourceKind> kinds)
{
    public IReadOnlyList<IResourceKind> Kinds { get; } = kinds;

    public async Task<Plan> PlanAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var changes = new List<Change>();
        foreach (var kind in Kinds)
            changes.AddRange(await Observing(kind, () => kind.PlanAsync(ctx, ct)));
        return new Plan(ctx.Cluster, changes);
    }

    /// <summary>Applies what the cloud lacks; returns the changes made (empty on a converged cloud).</summary>
    public async Task<Plan> ApplyAsync(ProvisionContext ctx, CancellationToken ct)
    {
        // A dry run first, in its own context (with the ids earlier layers found), so a refused change stops the run before its first call.
        var previewContext = ctx.ForPreview();
        var preview = await PlanAsync(previewContext, ct);
        foreach (var change in preview.Changes)
            if (Kinds.First(k => k.Kind == change.Address.Kind).Refusal(change) is { } refused) throw refused;
        if (preview.IsEmpty)
        {
            // The next layer in this context needs this one's ids (subnets, groups) even when nothing changed here.
            ctx.LearnFrom(previewContext);
            ctx.Log(preview.Summary);
            return preview;
        }

        var applied = new List<Change>();
        foreach (var kind in Kinds)
        {
            var changes = await Observing(kind, () => kind.PlanAsync(ctx, ct));
            foreach (var change in changes)
            {
                // The cloud may have changed since the preview: a refused change still stops here, before its call.
                if (kind.Refusal(change) is { } refused) throw refused;
                ctx.Log($"{change.Symbol} {change.Address}: {change.Reason}");
                await Applying(change, applied.Count, () => kind.ApplyAsync(change, ctx, ct));
                // A deferred change was not made: the result lists it in ctx.Deferred only.
                if (!ctx.Deferred.Contains(change)) applied.Add(change);
            }
        }
        return new Plan(ctx.Cluster, applied);
    }

    public async Task<Plan> PlanDestroyAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var changes = new List<Change>();
        foreach (var kind in Kinds.Reverse())
            changes.AddRange(await Observing(kind, () => kind.PlanDestroyAsync(ctx, ct)));
        return new Plan(ctx.Cluster, changes);
    }

    /// <summary>Deletes every instance tagged for the cluster of these kinds, dependents first.</summary>
    public async Task<Plan> DestroyAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var applied = new List<Change>();
        foreach (var kind in Kinds.Reverse())
        {
            var changes = await Observing(kind, () => kind.PlanDestroyAsync(ctx, ct));
            foreach (var change in changes)
            {
                ctx.Log($"{change.Symbol} {change.Address}: {change.Reason}");
                await Applying(change, applied.Count, () => kind.ApplyAsync(change, ctx, ct));
                applied.Add(change);
            }
        }
        return new Plan(ctx.Cluster, applied);
    }

    public static FswException Refusal(Change change) => new(ErrorCodes.ReplaceRefused,
        $"{change.Address} would have to be replaced ({change.Reason}): {string.Join("; ", change.Fields)}. "
        + "That rebuilds the cluster's network; nothing was changed. Put the old value back in the definition, or destroy the cluster first.");

    private static async Task<IReadOnlyList<Change>> Observing(IResourceKind kind, Func<Task<IReadOnlyList<Change>>> plan)
    {
        try
        {
            return await plan();
        }
        catch (CloudException e)
        {
            throw new FswException(ErrorCodes.CloudCallFailed,
                $"Reading the cluster's {kind.Kind} resources failed: {e.Call} answered {e.Code}: {e.Detail}. Nothing was changed by this step.");
        }
    }

    private static async Task Applying(Change change, int done, Func<Task> apply)
    {
        try
        {
            await apply();
        }
        catch (CloudException e)
        {
            throw new FswException(ErrorCodes.CloudCallFailed,
                $"{change.Action} of {change.Address} failed: {e.Call} answered {e.Code}: {e.Detail}. "
                + $"The {done} change(s) before it stay and are found again by their tags: fix the cause and run again.");
        }
    }
}
