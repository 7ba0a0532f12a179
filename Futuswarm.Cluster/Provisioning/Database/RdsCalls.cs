using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>
/// RDS calls as the engine expects them: a refusal becomes a <see cref="CloudException"/> with RDS's own code, so the
/// reconciler reports it like any other cloud call (RdsClient already keeps the password out of the message).
/// </summary>
internal static class RdsCalls
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

    /// <summary>A call retried while RDS answers <paramref name="codes"/> (a state that passes), within the run's bounds.</summary>
    public static Task<T> RunWhile<T>(string call, Func<Task<T>> body, WaitOptions waits, CancellationToken ct, params string[] codes) =>
        Retry.OnEventualConsistencyAsync(_ => Run(call, body), e => codes.Contains(e.Code), waits, ct);
}
