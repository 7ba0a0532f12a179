using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// Reads AWS's error out of a failed response. Query APIs (IAM, ELBv2, RDS) answer
/// <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;&lt;/ErrorResponse&gt;</c>;
/// JSON 1.1 APIs (ACM) put the code in <c>__type</c> (or <c>code</c>, or the X-Amzn-ErrorType header) and the text in
/// <c>message</c>/<c>Message</c>. Null when the body is neither, so the caller can still report the HTTP status.
/// </summary>
public static class AwsErrorReader
{
    public static AwsError? FromQueryXml(string body, HttpResponseHeaders? headers = null)
    {
        XElement root;
        try
        {
            root = XElement.Parse(body);
        }
        catch (XmlException)
        {
            return null;
        }
        // ErrorResponse/Error in the Query protocol; Response/Errors/Error in EC2's; a bare Error in S3-style bodies.
        var error = root.Name.LocalName == "Error" ? root : root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
        var code = error?.Text("Code");
        if (error is null || string.IsNullOrWhiteSpace(code)) return null;
        var requestId = root.Descendants().FirstOrDefault(e => e.Name.LocalName is "RequestId" or "RequestID")?.Value
                        ?? HeaderRequestId(headers);
        return new AwsError(code.Trim(), (error.Text("Message") ?? "").Trim(), requestId?.Trim());
    }

    public static AwsError? FromJson(string body, HttpResponseHeaders? headers = null)
    {
        string? type = headers is not null && headers.TryGetValues("X-Amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        string? message = null;
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String) continue;
                    if (type is null && p.Name is "__type" or "code") type = p.Value.GetString();
                    if (message is null && p.Name.Equals("message", StringComparison.OrdinalIgnoreCase)) message = p.Value.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Only the header, if any, is left to go on.
        }
        if (string.IsNullOrWhiteSpace(type)) return null;
        return new AwsError(SanitizeErrorType(type), message ?? "", HeaderRequestId(headers));
    }

    /// <summary>
    /// "aws.protocoltests.restjson#FooError:http://internal.amazon.com/..." is "FooError": the text before the first
    /// ':' and after the first '#', as the Smithy AWS protocol specifications tell clients to read it.
    /// </summary>
    public static string SanitizeErrorType(string raw)
    {
        var value = raw.Trim();
        var colon = value.IndexOf(':');
        if (colon >= 0) value = value[..colon];
        var hash = value.IndexOf('#');
        if (hash >= 0) value = value[(hash + 1)..];
        return value;
    }

    private static string? HeaderRequestId(HttpResponseHeaders? headers)
    {
        if (headers is null) return null;
        foreach (var name in new[] { "x-amzn-RequestId", "x-amz-request-id" })
            if (headers.TryGetValues(name, out var values)) return values.FirstOrDefault();
        return null;
    }
}
