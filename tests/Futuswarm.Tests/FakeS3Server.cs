using System.Collections.Specialized;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Futuswarm.Tests;

/// <summary>
/// A loopback S3 endpoint (path style) that records each request and answers with what <see cref="Answer"/>
/// returns, by default 200 with an empty body: it shows what the S3 client sends (headers, body, query),
/// which s3rver does not keep.
/// </summary>
internal sealed class FakeS3Server : IDisposable
{
    public sealed record Request(string Method, string Path, NameValueCollection Query, NameValueCollection Headers, byte[] Body);
    public sealed record Reply(int Status, string Body = "", string ContentType = "application/xml");

    private readonly HttpListener _listener;
    private readonly Task _loop;

    public string Url { get; }
    public List<Request> Requests { get; } = [];
    public Func<Request, Reply> Answer { get; set; } = _ => new Reply(200);

    public FakeS3Server()
    {
        (_listener, Url) = LoopbackHttpListener.Start();
        _loop = Task.Run(Loop);
    }

    public static Reply Error(int status, string code) =>
        new(status, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>fake {code}</Message><RequestId>1</RequestId></Error>");

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext http;
            try { http = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var body = new MemoryStream();
            await http.Request.InputStream.CopyToAsync(body);
            var request = new Request(http.Request.HttpMethod, http.Request.Url!.AbsolutePath, http.Request.QueryString, http.Request.Headers, body.ToArray());
            lock (Requests) Requests.Add(request);
            var reply = Answer(request);
            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            http.Response.StatusCode = reply.Status;
            http.Response.ContentType = reply.ContentType;
            http.Response.Headers["x-amz-request-id"] = "1";
            http.Response.ContentLength64 = bytes.Length;
            await http.Response.OutputStream.WriteAsync(bytes);
            http.Response.Close();
        }
    }

    public void Dispose()
    {
        if (!_listener.IsListening) return;
        LoopbackHttpListener.Stop(_listener, _loop);
    }
}
