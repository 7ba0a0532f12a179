using Futuswarm.Protocol;
using Futuswarm.Tasks.Secrets;
using Futuswarm.Tasks.Transport;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>A task that sends requests to the manager and relays its JSON lines to the build log.</summary>
public abstract class ManagerTask : FswTask
{
    [Required] public string Manager { get; set; } = "";
    [Required] public string User { get; set; } = "";
    [Required] public string KnownHostsFile { get; set; } = "";
    [Required] public string HostKeyAlias { get; set; } = "";
    public string IdentityFile { get; set; } = "";
    [Required] public string ServiceName { get; set; } = "";
    /// <summary>Test seam: the ssh program to run.</summary>
    public string SshPath { get; set; } = "ssh";

    protected ManagerEndpoint Endpoint()
    {
        var (host, port) = ManagerEndpoint.ParseAddress(Manager);
        return new ManagerEndpoint(host, port, User, KnownHostsFile, HostKeyAlias, string.IsNullOrEmpty(IdentityFile) ? null : IdentityFile);
    }

    /// <summary>Sends the request; returns the result line, or logs the coded error and returns null.</summary>
    protected async Task<ResponseLine?> SendAsync(string verb, object request)
    {
        var result = await ExchangeAsync(verb, request);
        if (result.Type == Wire.LineTypes.Error)
        {
            LogManagerError(result);
            return null;
        }
        return result;
    }

    /// <summary>Sends the request and returns the final line as it is, error or result, for callers that expect some errors.</summary>
    protected Task<ResponseLine> ExchangeAsync(string verb, object request) =>
        new SshTransport(Endpoint(), SshPath).SendAsync(verb, request, Relay, Cancellation);

    protected void LogManagerError(ResponseLine error) =>
        LogFsw(error.Code ?? ErrorCodes.NoResult, error.Message ?? "The manager reported an error without a message.", error.Details);

    protected void LogUnknownOutcome(string? outcome) =>
        LogFsw(ErrorCodes.ProtocolMismatch, $"The manager answered an unknown outcome '{outcome}'. Use a Futuswarm.Sdk version that matches the cluster.");

    /// <summary>
    /// secret-list: names, versions, fingerprints and the fingerprint key. A service the cluster does not know
    /// yet is an empty list when <paramref name="unknownServiceIsEmpty"/>, else the manager's error.
    /// Null when an error was logged.
    /// </summary>
    protected async Task<ClusterSecrets?> ListSecretsAsync(bool unknownServiceIsEmpty)
    {
        var answer = await ExchangeAsync(Wire.Verbs.SecretList, new ServiceRequest { Protocol = Wire.ProtocolVersion, Service = ServiceName });
        if (answer.Type == Wire.LineTypes.Error)
        {
            if (unknownServiceIsEmpty && answer.Code == ErrorCodes.ServiceNotFound) return ClusterSecrets.None();
            LogManagerError(answer);
            return null;
        }
        if (answer.Outcome != Wire.Outcomes.Listed)
        {
            LogUnknownOutcome(answer.Outcome);
            return null;
        }
        return ClusterSecrets.From(answer);
    }

    private void Relay(ResponseLine line)
    {
        var text = $"{ServiceName}: {line.Message}";
        if (line.Code is { } code)
            Log.LogWarning(subcategory: null, warningCode: code, helpKeyword: null, file: BuildEngine?.ProjectFileOfTaskNode, 0, 0, 0, 0, text);
        else
            Log.LogMessage(MessageImportance.High, text);
    }
}
