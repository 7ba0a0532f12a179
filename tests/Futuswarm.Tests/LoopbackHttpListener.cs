using System.Net;
using System.Net.Sockets;

namespace Futuswarm.Tests;

/// <summary>
/// The loopback HTTP listener the fake AWS endpoints (KMS, S3) answer on: a free port from the OS (retried, since
/// another process may take it first), and a close that does not race other tests for the port.
/// </summary>
internal static class LoopbackHttpListener
{
    public static (HttpListener Listener, string Url) Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try { listener.Start(); }
            catch (HttpListenerException) when (attempt < 5) { listener.Close(); continue; }
            return (listener, $"http://127.0.0.1:{port}");
        }
    }

    /// <summary>
    /// Close alone: managed HttpListener's Stop drops the port's endpoint, and a Close after it looks the endpoint up
    /// again by binding the port, which fails (Address already in use) once another test's listener holds it.
    /// </summary>
    public static void Stop(HttpListener listener, Task loop)
    {
        try { listener.Close(); }
        catch (HttpListenerException) { } // the port is released either way
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
