using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Identity;

/// <summary>
/// IAM calls as the engine expects them: a refusal becomes a <see cref="CloudException"/> carrying IAM's own code,
/// so the reconciler reports it like any other cloud call, and a just-created role that another IAM endpoint does
/// not know yet (<c>NoSuchEntity</c>) is retried within the run's bounds.
/// </summary>
internal static class IamCalls
{
    public static Task<T> Run<T>(string call, Func<Task<T>> body) => CloudCalls.Api(call, body);

    public static Task Run(string call, Func<Task> body) => CloudCalls.Api(call, body);

    /// <summary>A call naming a role created a moment ago: retried while IAM does not know it yet.</summary>
    public static Task RunFresh(string call, Func<Task> body, ProvisionContext ctx, CancellationToken ct) =>
        Retry.OnEventualConsistencyAsync(_ => Run(call, body), e => e.Code == "NoSuchEntity", ctx.Waits, ct);
}
