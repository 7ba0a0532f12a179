using System.Net.Sockets;
using System.Text;

// futuswarm-probe <http://127.0.0.1:PORT/path>: exit 0 when the app answers 2xx or 3xx within 2 s, else 1.
// A raw HTTP/1.0 request keeps start-up small: this runs every second in every task.
if (args.Length != 1 || !Uri.TryCreate(args[0], UriKind.Absolute, out var url) || url.Scheme != "http")
{
    Console.Error.WriteLine("usage: futuswarm-probe http://127.0.0.1:<port>/<path>");
    return 2;
}
try
{
    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
    using var client = new TcpClient();
    await client.ConnectAsync(url.Host, url.Port, cts.Token);
    await using var stream = client.GetStream();
    var request = $"GET {url.PathAndQuery} HTTP/1.0\r\nHost: {url.Authority}\r\nUser-Agent: futuswarm-probe\r\nConnection: close\r\n\r\n";
    await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cts.Token);
    var buffer = new byte[64];
    var read = 0;
    while (read < 12)
    {
        var n = await stream.ReadAsync(buffer.AsMemory(read), cts.Token);
        if (n == 0) break;
        read += n;
    }
    var status = Encoding.ASCII.GetString(buffer, 0, read).Split(' ');
    if (status.Length >= 2 && int.TryParse(status[1], out var code) && code is >= 200 and < 400) return 0;
    Console.Error.WriteLine($"unhealthy: {(status.Length >= 2 ? status[1] : "no status line")}");
    return 1;
}
catch (Exception e)
{
    Console.Error.WriteLine($"unhealthy: {e.GetType().Name}: {e.Message}");
    return 1;
}
