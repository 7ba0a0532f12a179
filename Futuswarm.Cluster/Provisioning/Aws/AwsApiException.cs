using System.Net;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// An AWS call that failed. <see cref="FswException.Code"/> is ours (FSW6020 refused, FSW6021 unavailable after
/// retries, FSW6022 unreadable answer); <see cref="AwsCode"/> is AWS's own (<c>NoSuchEntity</c>,
/// <c>DBInstanceNotFound</c>) so callers can decide on it. The message never carries a request body.
/// </summary>
public sealed class AwsApiException(
    string code, string api, string awsCode, string awsMessage, HttpStatusCode? status, string? requestId, int attempts, string message)
    : FswException(code, message)
{
    /// <summary>Service and action, e.g. "IAM CreateRole".</summary>
    public string Api { get; } = api;
    public string AwsCode { get; } = awsCode;
    public string AwsMessage { get; } = awsMessage;
    public HttpStatusCode? Status { get; } = status;
    public string? RequestId { get; } = requestId;
    public int Attempts { get; } = attempts;

    internal static AwsApiException Refused(string api, AwsError error, HttpStatusCode status, int attempts) =>
        new(ErrorCodes.AwsApiRefused, api, error.Code, error.Message, status, error.RequestId, attempts,
            $"{api} was refused by AWS: {error.Code}: {error.Message} (HTTP {(int)status}{RequestIdText(error.RequestId)}).");

    internal static AwsApiException Unavailable(string api, string awsCode, string awsMessage, HttpStatusCode? status, string? requestId, int attempts) =>
        new(ErrorCodes.AwsApiUnavailable, api, awsCode, awsMessage, status, requestId, attempts,
            $"{api} did not succeed in {attempts} attempts: {awsCode}: {awsMessage}" +
            $"{(status is { } s ? $" (HTTP {(int)s}{RequestIdText(requestId)})" : "")}. Run again later.");

    internal static AwsApiException Unreadable(string api, string what, HttpStatusCode status) =>
        new(ErrorCodes.AwsResponseUnreadable, api, "Unreadable", what, status, null, 1,
            $"{api} answered HTTP {(int)status} with a response that could not be read: {what}.");

    private static string RequestIdText(string? requestId) => requestId is null ? "" : $", request id {requestId}";
}

/// <summary>An error as AWS reported it: its code, its message and the request id, when the body had them.</summary>
public sealed record AwsError(string Code, string Message, string? RequestId);
