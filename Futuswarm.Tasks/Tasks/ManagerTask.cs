using Futuswarm.Protocol;
using Futuswarm.Tasks.Transport;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>A task that sends one request to the manager and relays its JSON lines to the build log.</summary>
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
        var result = await new SshTransport(Endpoint(), SshPath).SendAsync(verb, request, Relay, Cancellation);
        if (result.Type == Wire.LineTypes.Error)
        {
            LogFsw(result.Code ?? ErrorCodes.NoResult, result.Message ?? "The manager reported an error without a message.", result.Details);
            return null;
        }
        return result;
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
