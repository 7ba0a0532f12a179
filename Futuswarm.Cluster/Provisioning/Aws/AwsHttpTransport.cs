using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>One signed POST: where, what, and how to read an error out of the answer.</summary>
/// <param name="Api">"IAM CreateRole": what errors and log lines call the call.</param>
/// <param name="Headers">Extra headers to send and sign (X-Amz-Target for JSON APIs).</param>
/// <param name="Secrets">Values that must never appear in a log line or an exception message.</param>
public sealed record AwsCall(
    AwsEndpoint Endpoint,
    string Api,
    byte[] Body,
    string ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    Func<string, HttpResponseHeaders, AwsError?> ReadError,
    IReadOnlyList<string> Secrets);

/// <summary>
/// Sends a call over HttpClient: signs each attempt afresh (new date, current credentials), retries throttling,
/// 5xx and network failures per <see cref="AwsRetryPolicy"/>, and turns the final failure into an
/// <see cref="AwsApiException"/>. Logs one line per attempt with the call, status and time, never a body.
/// </summary>
public sealed class AwsHttpTransport(
    HttpClient http, AwsCredentialSource credentials, AwsRetryPolicy? retryPolicy = null, TimeProvider? clock = null, Action<string>? log = null)
{
    private readonly AwsRetryPolicy _retry = retryPolicy ?? AwsRetryPolicy.Default;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private int _retries;

    /// <summary>Retries made so far, over all calls: visible so tests and progress output can show them.</summary>
    public int Retries => _retries;

    public async Task<string> SendAsync(AwsCall call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            HttpStatusCode status;
            string body;
            HttpResponseHeaders headers;
            try
            {
                using var request = await BuildAsync(call, ct);
                using var response = await http.SendAsync(request, ct);
                status = response.StatusCode;
                headers = response.Headers;
                body = await response.Content.ReadAsStringAsync(ct);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                // A network failure or an HttpClient timeout: nothing was answered, so the call may be tried again.
                Log(call, $"no answer ({e.GetType().Name})", started, attempt);
                if (attempt < _retry.MaxAttempts)
                {
                    await WaitAsync(attempt, ct);
                    continue;
                }
                throw AwsApiException.Unavailable(call.Api, "NoAnswer", Scrub(e.Message, call), null, null, attempt);
            }

            if ((int)status is >= 200 and < 300)
            {
                Log(call, $"HTTP {(int)status}", started, attempt);
                return body;
            }

            var error = call.ReadError(body, headers);
            Log(call, $"HTTP {(int)status} {error?.Code ?? "(no AWS error code)"}", started, attempt);
            if (AwsRetryPolicy.IsRetryable(status, error?.Code))
            {
                if (attempt < _retry.MaxAttempts)
                {
                    await WaitAsync(attempt, ct);
                    continue;
                }
                throw AwsApiException.Unavailable(call.Api, error?.Code ?? $"HTTP{(int)status}", Scrub(error?.Message ?? "", call), status, error?.RequestId, attempt);
            }
            if (error is null)
                throw AwsApiException.Unreadable(call.Api, "the body holds no AWS error code", status);
            throw AwsApiException.Refused(call.Api, error with { Message = Scrub(error.Message, call) }, status, attempt);
        }
    }

    private async Task<HttpRequestMessage> BuildAsync(AwsCall call, CancellationToken ct)
    {
        var url = call.Endpoint.Url;
        var host = url.IsDefaultPort ? url.IdnHost : $"{url.IdnHost}:{url.Port}";
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(call.Body) };
        request.Headers.Host = host;
        // Sent exactly as signed: without validation HttpClient does not re-format the media type.
        request.Content.Headers.TryAddWithoutValidation("Content-Type", call.ContentType);
        foreach (var (name, value) in call.Headers) request.Headers.TryAddWithoutValidation(name, value);

        var signed = new List<KeyValuePair<string, string>> { new("Host", host), new("Content-Type", call.ContentType) };
        signed.AddRange(call.Headers);
        var query = QueryPairs(url);
        var signature = SigV4.Sign(
            new SigV4Request("POST", Uri.UnescapeDataString(url.AbsolutePath), query, signed, SigV4.HexSha256(call.Body)),
            await credentials.GetAsync(ct), call.Endpoint.SigningRegion, call.Endpoint.SigningService, _clock.GetUtcNow());
        foreach (var (name, value) in signature.AddedHeaders) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static List<KeyValuePair<string, string>> QueryPairs(Uri url) =>
        url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1]) : ""))
            .ToList();

    private async Task WaitAsync(int attempt, CancellationToken ct)
    {
        Interlocked.Increment(ref _retries);
        await _retry.Delay(_retry.DelayBefore(attempt), ct);
    }

    private void Log(AwsCall call, string outcome, long started, int attempt) =>
        log?.Invoke($"AWS {call.Api}: {outcome} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms (attempt {attempt})");

    private static string Scrub(string text, AwsCall call) =>
        call.Secrets.Where(s => s.Length > 0).Aggregate(text, (t, s) => t.Replace(s, "***", StringComparison.Ordinal));
}
