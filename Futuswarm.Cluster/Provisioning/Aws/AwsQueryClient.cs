using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// The Query protocol (IAM, ELBv2, RDS): a signed form POST, an XML answer, errors as ErrorResponse. A result that
/// cannot be read (not XML, or a required element missing) is FSW6022 naming the call.
/// </summary>
public sealed class AwsQueryClient(AwsHttpTransport transport, AwsEndpoint endpoint)
{
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";

    public AwsEndpoint Endpoint => endpoint;

    /// <summary>Calls the action and reads its <c>&lt;{Action}Result&gt;</c> with <paramref name="read"/>.</summary>
    public async Task<T> CallAsync<T>(AwsQueryForm form, Func<XElement, T> read, CancellationToken ct)
    {
        var root = await CallAsync(form, ct);
        try
        {
            return read(AwsXml.Result(root, form.Action));
        }
        catch (FormatException e)
        {
            throw AwsApiException.Unreadable(Api(form), e.Message, System.Net.HttpStatusCode.OK);
        }
    }

    /// <summary>Calls the action and returns the whole answer (actions without a result, like deletes).</summary>
    public async Task<XElement> CallAsync(AwsQueryForm form, CancellationToken ct)
    {
        var body = await transport.SendAsync(new AwsCall(
            endpoint, Api(form), Encoding.UTF8.GetBytes(form.Encode()), ContentType, [],
            (text, headers) => AwsErrorReader.FromQueryXml(text, headers), form.SecretValues), ct);
        try
        {
            return XElement.Parse(body);
        }
        catch (XmlException e)
        {
            throw AwsApiException.Unreadable(Api(form), $"not XML ({e.Message})", System.Net.HttpStatusCode.OK);
        }
    }

    /// <summary>
    /// Follows a paginated Describe: sends the form with <c>Marker</c> from the previous page's
    /// <paramref name="nextMarker"/> element (ELBv2 NextMarker, RDS Marker) until there is none. A marker that
    /// comes back twice would loop for ever, so it is FSW6022.
    /// </summary>
    public async Task<IReadOnlyList<T>> CallPagesAsync<T>(
        Func<AwsQueryForm> form, string nextMarker, Func<XElement, IEnumerable<T>> read, CancellationToken ct)
    {
        var all = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? marker = null;
        do
        {
            var page = form().Add("Marker", marker);
            var (items, next) = await CallAsync(page, r => (read(r).ToList(), r.Text(nextMarker)?.Trim()), ct);
            all.AddRange(items);
            marker = string.IsNullOrEmpty(next) ? null : next;
            if (marker is not null && !seen.Add(marker))
                throw AwsApiException.Unreadable(Api(page), $"the marker {marker} came back twice", System.Net.HttpStatusCode.OK);
        }
        while (marker is not null);
        return all;
    }

    private string Api(AwsQueryForm form) => $"{endpoint.ServiceName} {form.Action}";
}
