using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Futuswarm.Cluster.Daemon;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Relay;

/// <summary>
/// The API sshd's ForceCommand: accepts exactly one listed verb, passes it with the authenticating key,
/// stdin and stdout to the daemon's socket. Never a shell; never exits 255 (ssh's own transport code).
/// </summary>
public static class Relay
{
    public static async Task<int> RunAsync(string socketPath)
    {
        var stdout = Console.OpenStandardOutput();
        var verb = (Environment.GetEnvironmentVariable("SSH_ORIGINAL_COMMAND") ?? "").Trim();
        if (!Wire.Verbs.All.Contains(verb))
            return await FailAsync(stdout, ErrorCodes.UnknownVerb, $"'{Truncate(verb)}' is not a verb of this manager; it knows {string.Join(", ", Wire.Verbs.All)}.");

        var key = ReadAuthenticatingKey();
        if (key is null)
            return await FailAsync(stdout, ErrorCodes.UnknownIdentity, "The SSH session did not expose which key authenticated (ExposeAuthInfo).");

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try { await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)); }
        catch (SocketException e)
        {
            return await FailAsync(stdout, ErrorCodes.ManagerUnreachable, $"The manager daemon is not running on this node ({e.SocketErrorCode}). Ask an admin to check futuswarm-managerd.");
        }
        using var daemon = new NetworkStream(socket, ownsSocket: false);
        var header = JsonSerializer.SerializeToUtf8Bytes(new RelayHeader { Verb = verb, Key = key }, Wire.Json);
        await daemon.WriteAsync(header);
        await daemon.WriteAsync("\n"u8.ToArray());

        // Request: stdin to the daemon, capped, then half-close so the daemon sees the end.
        var stdin = Console.OpenStandardInput();
        var buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = await stdin.ReadAsync(buffer)) > 0)
        {
            total += n;
            if (total > Wire.MaxRequestBytes)
                return await FailAsync(stdout, ErrorCodes.MalformedRequest, $"The request is larger than {Wire.MaxRequestBytes / 1024} KB.");
            await daemon.WriteAsync(buffer.AsMemory(0, n));
        }
        socket.Shutdown(SocketShutdown.Send);

        // Answer: daemon to stdout. A client that went away shows as a failed write; the daemon goes on.
        try
        {
            while ((n = await daemon.ReadAsync(buffer)) > 0)
            {
                await stdout.WriteAsync(buffer.AsMemory(0, n));
                await stdout.FlushAsync();
            }
        }
        catch (IOException) { return 1; }
        return 0;
    }

    /// <summary>$SSH_USER_AUTH names a file with "publickey &lt;type&gt; &lt;base64&gt;" for the key that succeeded.</summary>
    private static string? ReadAuthenticatingKey()
    {
        var path = Environment.GetEnvironmentVariable("SSH_USER_AUTH");
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return null;
        foreach (var line in File.ReadAllLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && parts[0] == "publickey") return $"{parts[1]} {parts[2]}";
        }
        return null;
    }

    private static async Task<int> FailAsync(Stream stdout, string code, string message)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(ResponseLine.Error(code, message), Wire.Json);
        await stdout.WriteAsync(line);
        await stdout.WriteAsync("\n"u8.ToArray());
        await stdout.FlushAsync();
        return 2;
    }

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "...";
}
