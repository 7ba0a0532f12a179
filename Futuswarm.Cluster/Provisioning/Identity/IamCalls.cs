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
    public static async Task<T> Run<T>(string call, Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (AwsApiException e)
        {
            throw new CloudException(call, e.AwsCode, e.AwsMessage);
        }
    }

    public static Task Run(string call, Func<Task> body) => Run(call, async () => { await body(); return true; });

    /// <summary>A call naming a role created a moment ago: retried while IAM does not know it yet.</summary>
    public static Task RunFresh(string call, Func<Task> body, ProvisionContext ctx, CancellationToken ct) =>
        Retry.OnEventualConsistencyAsync(_ => Run(call, body), e => e.Code == "NoSuchEntity", ctx.Waits, ct);
}
