using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Futuswarm.Tests;

/// <summary>
/// A loopback stand-in for AWS KMS that speaks the JSON 1.1 protocol for GenerateDataKey and Decrypt only.
/// Its ciphertext blobs are AES-GCM under a root key of its own with the key ID and EncryptionContext as
/// associated data, so, like KMS, a Decrypt with another context or key fails with InvalidCiphertextException.
/// What a request lacks (SigV4 signature, the three context keys, the content type) is collected in Failures.
/// </summary>
internal sealed class FakeKmsServer : IDisposable
{
    public const string KeyId = "arn:aws:kms:us-east-1:111122223333:key/0f5b7c1e-test";
    public const string DeniedKeyId = "arn:aws:kms:us-east-1:111122223333:key/denied";

    private readonly byte[] _root = RandomNumberGenerator.GetBytes(32);
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public string Url { get; }
    public List<string> Failures { get; } = [];
    public List<(string Target, Dictionary<string, string> Context)> Calls { get; } = [];

    public FakeKmsServer()
    {
        (_listener, Url) = LoopbackHttpListener.Start();
        _loop = Task.Run(Loop);
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext http;
            try { http = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { Answer(http); }
            catch (Exception e)
            {
                Fail("fixture error: " + e.Message);
                Reply(http, 500, new JsonObject { ["__type"] = "InternalFailure", ["message"] = e.Message });
            }
        }
    }

    private void Fail(string what) { lock (Failures) Failures.Add(what); }

    private void Answer(HttpListenerContext http)
    {
        var request = http.Request;
        var target = request.Headers["X-Amz-Target"] ?? "";
        if (request.HttpMethod != "POST") Fail($"{target}: method {request.HttpMethod}");
        if (!(request.ContentType ?? "").StartsWith("application/x-amz-json-1.1", StringComparison.Ordinal))
            Fail($"{target}: content type '{request.ContentType}'");
        var auth = request.Headers["Authorization"] ?? "";
        if (!auth.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal) || !auth.Contains("/us-east-1/kms/aws4_request", StringComparison.Ordinal))
            Fail($"{target}: Authorization '{auth}' is not a SigV4 signature for kms in us-east-1");

        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
        var context = (body["EncryptionContext"]?.AsObject() ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        lock (Calls) Calls.Add((target, context));
        if (!context.Keys.Order(StringComparer.Ordinal).SequenceEqual(["cluster", "key", "service"]))
            Fail($"{target}: EncryptionContext has [{string.Join(",", context.Keys)}], not cluster, service, key");
        var keyId = body["KeyId"]?.GetValue<string>();

        switch (target)
        {
            case "TrentService.GenerateDataKey":
                if (body["KeySpec"]?.GetValue<string>() != "AES_256") Fail($"{target}: KeySpec {body["KeySpec"]}");
                if (keyId == DeniedKeyId) { Error(http, "AccessDeniedException", "User is not authorized to perform kms:GenerateDataKey"); return; }
                if (keyId != KeyId) { Error(http, "NotFoundException", $"Key '{keyId}' does not exist"); return; }
                var plaintext = RandomNumberGenerator.GetBytes(32);
                Reply(http, 200, new JsonObject
                {
                    ["CiphertextBlob"] = Convert.ToBase64String(Wrap(plaintext, context)),
                    ["Plaintext"] = Convert.ToBase64String(plaintext),
                    ["KeyId"] = KeyId,
                });
                return;
            case "TrentService.Decrypt":
                if (keyId != KeyId) { Error(http, "IncorrectKeyException", "The key ID in the request does not identify the key that encrypted the ciphertext."); return; }
                var blob = Convert.FromBase64String(body["CiphertextBlob"]!.GetValue<string>());
                var key = Unwrap(blob, context);
                if (key is null) { Error(http, "InvalidCiphertextException", "The ciphertext or its encryption context is invalid."); return; }
                Reply(http, 200, new JsonObject { ["Plaintext"] = Convert.ToBase64String(key), ["KeyId"] = KeyId, ["EncryptionAlgorithm"] = "SYMMETRIC_DEFAULT" });
                return;
            default:
                Fail($"unexpected target '{target}'");
                Error(http, "UnknownOperationException", target);
                return;
        }
    }

    private static byte[] Aad(Dictionary<string, string> context) =>
        Encoding.UTF8.GetBytes(KeyId + "\n" + JsonSerializer.Serialize(context.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray()));

    private byte[] Wrap(byte[] plaintext, Dictionary<string, string> context)
    {
        var blob = new byte[12 + plaintext.Length + 16];
        RandomNumberGenerator.Fill(blob.AsSpan(0, 12));
        using var gcm = new AesGcm(_root, 16);
        gcm.Encrypt(blob.AsSpan(0, 12), plaintext, blob.AsSpan(12, plaintext.Length), blob.AsSpan(12 + plaintext.Length), Aad(context));
        return blob;
    }

    private byte[]? Unwrap(byte[] blob, Dictionary<string, string> context)
    {
        if (blob.Length < 28) return null;
        var plaintext = new byte[blob.Length - 28];
        try
        {
            using var gcm = new AesGcm(_root, 16);
            gcm.Decrypt(blob.AsSpan(0, 12), blob.AsSpan(12, plaintext.Length), blob.AsSpan(12 + plaintext.Length), plaintext, Aad(context));
            return plaintext;
        }
        catch (CryptographicException) { return null; }
    }

    private static void Error(HttpListenerContext http, string type, string message) =>
        Reply(http, 400, new JsonObject { ["__type"] = type, ["message"] = message });

    private static void Reply(HttpListenerContext http, int status, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/x-amz-json-1.1";
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        http.Response.ContentLength64 = bytes.Length;
        http.Response.OutputStream.Write(bytes);
        http.Response.Close();
    }

    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        LoopbackHttpListener.Stop(_listener, _loop);
    }
}
