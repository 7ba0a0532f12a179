using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// The JSON 1.1 protocol (ACM): a signed POST to "/" with <c>X-Amz-Target: {prefix}.{Operation}</c> and a JSON
/// body; errors carry <c>__type</c>. A result that cannot be read is FSW6022 naming the call.
/// </summary>
public sealed class AwsJsonClient(AwsHttpTransport transport, AwsEndpoint endpoint, string targetPrefix)
{
    public const string ContentType = "application/x-amz-json-1.1";

    public AwsEndpoint Endpoint => endpoint;

    public async Task<T> CallAsync<T>(string operation, JsonObject request, Func<JsonElement, T> read, CancellationToken ct)
    {
        var api = $"{endpoint.ServiceName} {operation}";
        var body = await transport.SendAsync(new AwsCall(
            endpoint, api, Encoding.UTF8.GetBytes(request.ToJsonString()), ContentType,
            [new("X-Amz-Target", $"{targetPrefix}.{operation}")],
            (text, headers) => AwsErrorReader.FromJson(text, headers), []), ct);
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            return read(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw AwsApiException.Unreadable(api, e.Message, System.Net.HttpStatusCode.OK);
        }
    }
}
