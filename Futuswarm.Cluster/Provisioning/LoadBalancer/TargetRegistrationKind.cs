using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.LoadBalancer;

/// <summary>
/// The manager instances registered in the edge's target group (<c>target[manager-N]</c>): the edge proxy runs on the
/// managers. A manager not registered is registered; a registered target that is not one of the cluster's managers
/// (a replaced manager's old instance, a worker, something added by hand) is deregistered. Registrations carry no tags,
/// so this kind reads the group's targets (DescribeTargetHealth) instead of ResourceKind's tag lookup. A manager whose
/// instance has no id in the context yet is shown when this run creates it (the apply registers it once it exists),
/// otherwise skipped with a note: the run after it exists registers it.
/// </summary>
public sealed class TargetRegistrationKind(IElbV2Api elb, LoadBalancerSpec spec) : IResourceKind
{
    public const string KindName = "target";
    private readonly Dictionary<ResourceAddress, ElbTarget> _planned = [];

    public string Kind => KindName;
    public bool Replaceable => true;

    public async Task<IReadOnlyList<Change>> PlanAsync(ProvisionContext ctx, CancellationToken ct)
    {
        _planned.Clear();
        var groupArn = ctx.IdOf(LoadBalancerAddresses.TargetGroup);
        // Draining targets are already on their way out: neither registered nor to deregister.
        var registered = groupArn is null ? [] : (await ElbCalls.Run("DescribeTargetHealth", () => elb.DescribeTargetHealthAsync(groupArn, ct)))
            .Where(h => h.State != "draining").Select(h => h.Target with { Port = h.Target.Port ?? TargetGroupKind.Port }).ToList();

        var changes = new List<Change>();
        var wanted = new HashSet<ElbTarget>();
        for (var i = 1; i <= spec.ManagerCount; i++)
        {
            var instance = LoadBalancerAddresses.Manager(i);
            if (ctx.IdOf(instance) is not { } instanceId)
            {
                // Planned in the same run (the nodes come before the load balancer): shown, and made by the apply,
                // which plans this kind again once the instance exists. Not in _planned: it has no id to register yet.
                if (ctx.IsToBeCreated(instance))
                {
                    changes.Add(new Change(LoadBalancerAddresses.Target(i), ChangeAction.Create, "not registered", [
                        FieldChange.Set("instance", $"{instance} {ProvisionContext.KnownAfterApply}"),
                        FieldChange.Set("port", TargetGroupKind.Port.ToString()),
                    ]));
                    continue;
                }
                ctx.Log($"{LoadBalancerAddresses.Target(i)}: {instance} has no instance yet; the run after it exists registers it.");
                continue;
            }
            var target = new ElbTarget(instanceId, TargetGroupKind.Port);
            wanted.Add(target);
            if (registered.Contains(target)) continue;
            var address = LoadBalancerAddresses.Target(i);
            _planned[address] = target;
            changes.Add(new Change(address, ChangeAction.Create, "not registered", [
                FieldChange.Set("instance", instance.ToString()),
                FieldChange.Set("port", TargetGroupKind.Port.ToString()),
            ]));
        }
        // A registered target may be a manager whose id this run does not know: deregister nothing until all are known.
        var unknown = Enumerable.Range(1, spec.ManagerCount).Where(i => ctx.IdOf(LoadBalancerAddresses.Manager(i)) is null).ToList();
        if (unknown.Count > 0)
        {
            if (registered.Any(t => !wanted.Contains(t)))
                ctx.Log($"{KindName}: other registered targets are kept while {string.Join(", ", unknown.Select(LoadBalancerAddresses.Manager))} is unknown.");
            return changes;
        }
        foreach (var stray in registered.Where(t => !wanted.Contains(t)).OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            var address = new ResourceAddress(KindName, stray.Port == TargetGroupKind.Port ? stray.Id : $"{stray.Id}:{stray.Port}");
            _planned[address] = stray;
            changes.Add(new Change(address, ChangeAction.Delete, "registered but not one of the cluster's managers", [
                FieldChange.Remove("instance", LoadBalancerAddresses.Label(stray.Id, ctx)),
            ]));
        }
        return changes;
    }

    /// <summary>Nothing: deleting the target group (the kind before this one in destroy order) removes its registrations.</summary>
    public Task<IReadOnlyList<Change>> PlanDestroyAsync(ProvisionContext ctx, CancellationToken ct) => Task.FromResult<IReadOnlyList<Change>>([]);

    public async Task ApplyAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        var groupArn = ctx.RequireId(LoadBalancerAddresses.TargetGroup);
        var target = _planned.GetValueOrDefault(change.Address)
            ?? throw new InvalidOperationException($"{change.Action} of {change.Address} was not planned by this kind in this context");
        switch (change.Action)
        {
            case ChangeAction.Create:
                // The group may be seconds old.
                await ElbCalls.RunFresh("RegisterTargets", async () => { await elb.RegisterTargetsAsync(groupArn, [target], ct); return true; },
                    ctx, ct, "TargetGroupNotFound");
                ctx.Journal.Record(change.Address, ChangeAction.Create, target.Id, $"registered on port {target.Port}");
                break;
            case ChangeAction.Delete:
                await ElbCalls.Run("DeregisterTargets", () => elb.DeregisterTargetsAsync(groupArn, [target], ct));
                ctx.Journal.Record(change.Address, ChangeAction.Delete, target.Id, change.Reason);
                break;
            default:
                throw new InvalidOperationException($"{change.Action} of {change.Address}: a registration is only made or removed");
        }
    }
}
