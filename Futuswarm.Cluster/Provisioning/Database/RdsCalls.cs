using Futuswarm.Cluster.Provisioning.Aws;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Database;

/// <summary>
/// RDS calls as the engine expects them: a refusal becomes a <see cref="CloudException"/> with RDS's own code, so the
/// reconciler reports it like any other cloud call (RdsClient already keeps the password out of the message).
/// </summary>
internal static class RdsCalls
{
    public static Task<T> Run<T>(string call, Func<Task<T>> body) => CloudCalls.Api(call, body);

    public static Task Run(string call, Func<Task> body) => CloudCalls.Api(call, body);

    /// <summary>A call retried while RDS answers <paramref name="codes"/> (a state that passes), within the run's bounds.</summary>
    public static Task<T> RunWhile<T>(string call, Func<Task<T>> body, WaitOptions waits, CancellationToken ct, params string[] codes) =>
        Retry.OnEventualConsistencyAsync(_ => Run(call, body), e => codes.Contains(e.Code), waits, ct);
}
