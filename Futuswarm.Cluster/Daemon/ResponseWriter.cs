using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Daemon;

/// <summary>
/// Writes JSON lines to the client. A client that went away only stops the streaming: the work
/// it asked for goes on (DESIGN.md section 4), so write errors are swallowed here.
/// </summary>
public sealed class ResponseWriter(Stream stream)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    public bool ClientGone { get; private set; }
    public bool Finished { get; private set; }

    public Task ProgressAsync(string message) => WriteAsync(ResponseLine.Progress(message));

    public async Task WriteAsync(ResponseLine line)
    {
        if (line.Type is Wire.LineTypes.Result or Wire.LineTypes.Error)
        {
            if (Finished) return;
            Finished = true;
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, Wire.Json);
        await _lock.WaitAsync();
        try
        {
            if (ClientGone) return;
            await stream.WriteAsync(bytes);
            await stream.WriteAsync("\n"u8.ToArray());
            await stream.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            ClientGone = true;
        }
        finally { _lock.Release(); }
    }
}
