using System.Text.Json;
using System.Text.Json.Serialization;

namespace Futuswarm.Protocol;

/// <summary>
/// The client/manager wire (DESIGN.md section 4): the SSH command is the verb, stdin one JSON document,
/// stdout JSON lines: progress and log lines, then exactly one result or error.
/// </summary>
public static class Wire
{
    /// <summary>Protocol versions this build speaks; the client sends the newest, the manager lists all it knows.</summary>
    public const int ProtocolVersion = 1;
    public static readonly int[] SupportedProtocols = [1];

    public const int MaxRequestBytes = 1024 * 1024;

    public static class Verbs
    {
        public const string Deploy = "deploy";
        public const string Status = "status";
        public static readonly string[] All = [Deploy, Status];
    }

    public static class LineTypes
    {
        public const string Progress = "progress";
        public const string Log = "log";
        public const string Result = "result";
        public const string Error = "error";
    }

    public static class Outcomes
    {
        public const string Deployed = "deployed";
        public const string Unchanged = "unchanged";
        public const string ImageRequired = "image-required";
        public const string Status = "status";
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        WriteIndented = false,
    };

    /// <summary>For reading the manager's answers: newer managers may add fields.</summary>
    public static readonly JsonSerializerOptions LenientJson = new(Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };
}

/// <summary>What a deploy asks for. <see cref="Image"/> null means "the running image, if the content key matches".</summary>
public sealed record DeployRequest
{
    public required int Protocol { get; init; }
    public required string Service { get; init; }
    public string? Image { get; init; }
    public required string ContentKey { get; init; }
    public required ServiceSettings Spec { get; init; }
    public int TimeoutSeconds { get; init; } = 300;
}

/// <summary>The part of a service that lives in its spec; its hash decides whether the service is updated.</summary>
public sealed record ServiceSettings
{
    public int Replicas { get; init; } = 1;
    /// <summary>The HTTP port the app listens on; null for a worker with no route.</summary>
    public int? Port { get; init; }
    public string HealthCheckPath { get; init; } = "/";
    public SortedDictionary<string, string> Environment { get; init; } = new(StringComparer.Ordinal);
    public string Access { get; init; } = "public";
    public List<string> Domains { get; init; } = [];
}

public sealed record StatusRequest
{
    public required int Protocol { get; init; }
    public required string Service { get; init; }
}

/// <summary>One line of the manager's answer.</summary>
public sealed record ResponseLine
{
    public required string Type { get; init; }
    public string? Message { get; init; }
    public string? Code { get; init; }
    public IReadOnlyList<string>? Details { get; init; }
    public string? Outcome { get; init; }
    public string? Service { get; init; }
    public int? Release { get; init; }
    public string? Image { get; init; }
    public string? ContentKey { get; init; }
    public string? SpecHash { get; init; }
    public string? Url { get; init; }
    public string? State { get; init; }
    public int? RunningTasks { get; init; }
    public int? DesiredTasks { get; init; }
    public int[]? Protocols { get; init; }

    public static ResponseLine Progress(string message) => new() { Type = Wire.LineTypes.Progress, Message = message };
    public static ResponseLine Error(string code, string message, IReadOnlyList<string>? details = null) =>
        new() { Type = Wire.LineTypes.Error, Code = code, Message = message, Details = details is { Count: > 0 } ? details : null, Protocols = null };
}
