namespace Futuswarm.Protocol;

/// <summary>How to reach a manager's API sshd, with the host key pinned.</summary>
public sealed record ManagerEndpoint(string Host, int Port, string User, string KnownHostsFile, string HostKeyAlias, string? IdentityFile)
{
    public static (string Host, int Port) ParseAddress(string address)
    {
        var i = address.LastIndexOf(':');
        if (i > 0 && !address.EndsWith(']') && int.TryParse(address[(i + 1)..], out var port))
            return (address[..i].Trim('[', ']'), port);
        return (address.Trim('[', ']'), 2222);
    }
}
