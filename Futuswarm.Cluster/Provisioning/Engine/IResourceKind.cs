using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// One kind of cloud resource (VPC, subnets, security groups, ...) and every instance of it the cluster has.
/// Plan observes by tags and diffs against the definition; apply carries out one change of the plan just made.
/// </summary>
public interface IResourceKind
{
    /// <summary>The kind's name in addresses, e.g. <c>subnet</c>.</summary>
    string Kind { get; }

    /// <summary>False where a replace would rebuild the cluster (the VPC): apply refuses such a plan before any change.</summary>
    bool Replaceable { get; }

    /// <summary>
    /// Why a plain apply must not carry out <paramref name="change"/> (null: it may). Asked for every change of the
    /// preview before the first call, and again before each change. By default a replace of a non-<see cref="Replaceable"/>
    /// kind; a kind overrides it for its own rule and text (instances: no manager replaced or terminated). Destroy does not ask.
    /// </summary>
    FswException? Refusal(Change change) => change.Action == ChangeAction.Replace && !Replaceable ? Reconciler.Refusal(change) : null;

    /// <summary>Observes the cloud and returns what must change; records the observed ids in the context.</summary>
    Task<IReadOnlyList<Change>> PlanAsync(ProvisionContext ctx, CancellationToken ct);

    /// <summary>Observes the cloud and returns a delete for every instance tagged for the cluster.</summary>
    Task<IReadOnlyList<Change>> PlanDestroyAsync(ProvisionContext ctx, CancellationToken ct);

    /// <summary>Carries out one change returned by the last plan of this kind in the same context.</summary>
    Task ApplyAsync(Change change, ProvisionContext ctx, CancellationToken ct);
}
