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
    /// <remarks>2 added secrets to deploys and the secret and config verbs; a version 1 request is still understood.</remarks>
    public const int ProtocolVersion = 2;
    public static readonly int[] SupportedProtocols = [1, 2];

    /// <summary>Room for several secrets of Swarm's largest size (500 KB each, base64 in JSON).</summary>
    public const int MaxRequestBytes = 8 * 1024 * 1024;

    public static class Verbs
    {
        public const string Deploy = "deploy";
        public const string Status = "status";
        public const string SecretSet = "secret-set";
        public const string SecretList = "secret-list";
        public const string SecretRemove = "secret-remove";
        public const string ConfigSet = "config-set";
        public const string ConfigUnset = "config-unset";
        public const string ConfigList = "config-list";
        public const string DatabaseInfo = "database-info";
        public const string DatabaseRotate = "database-rotate";
        public const string DatabaseDrop = "database-drop";
        public const string DatabaseBackup = "database-backup";
        public static readonly string[] All = [Deploy, Status, SecretSet, SecretList, SecretRemove, ConfigSet, ConfigUnset, ConfigList,
            DatabaseInfo, DatabaseRotate, DatabaseDrop, DatabaseBackup];
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
        /// <summary>A secret or config change was saved; the service does not run, so its next deploy uses it.</summary>
        public const string Stored = "stored";
        public const string Listed = "listed";
        public const string Dropped = "dropped";
        public const string BackedUp = "backed-up";
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
    /// <summary>The project's declared secrets (SwarmSecret items): a value only where it changed.</summary>
    public List<SecretInput> Secrets { get; init; } = [];
}

/// <summary>
/// One secret in a request. With <see cref="Value"/>: set it (no new version if equal to the current one).
/// With only <see cref="Fingerprint"/>: the client holds the current value; the manager checks it still is
/// (FSW4005 when it changed meanwhile). With neither: keep the cluster's current version (the client has no
/// source for it on this machine); an error when there is none.
/// </summary>
public sealed record SecretInput
{
    public required string Name { get; init; }
    public byte[]? Value { get; init; }
    public string? Fingerprint { get; init; }

    // Records print their members; a value must never reach a log through ToString.
    public override string ToString() => $"SecretInput {{ Name = {Name}, Value = {(Value is null ? "none" : "(hidden)")} }}";
}

public sealed record SecretSetRequest
{
    public required int Protocol { get; init; }
    public required string Service { get; init; }
    public required List<SecretInput> Secrets { get; init; }
    public int TimeoutSeconds { get; init; } = 300;
}

public sealed record ConfigSetRequest
{
    public required int Protocol { get; init; }
    public required string Service { get; init; }
    public required SortedDictionary<string, string> Values { get; init; }
    public int TimeoutSeconds { get; init; } = 300;
}

/// <summary>secret-remove and config-unset: names to take out of the service's next release.</summary>
public sealed record RemoveRequest
{
    public required int Protocol { get; init; }
    public required string Service { get; init; }
    public required List<string> Names { get; init; }
    public int TimeoutSeconds { get; init; } = 300;
}

/// <summary>A secret as listed: never its value. The fingerprint is an HMAC under the service's fingerprint key.</summary>
public sealed record SecretInfo
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required DateTimeOffset SetAt { get; init; }
    public required string SetBy { get; init; }
    public required string Fingerprint { get; init; }
    /// <summary>How many versions the store keeps for this name.</summary>
    public int Versions { get; init; }
}

/// <summary>A plain configuration value: set on the cluster (SwarmConfigSet) or declared in the project (SwarmEnvironmentVariable).</summary>
public sealed record ConfigInfo
{
    public required string Name { get; init; }
    public required string Value { get; init; }
    /// <summary>"cluster" or "project".</summary>
    public required string Source { get; init; }
    /// <summary>False for a project value hidden by a cluster value of the same name.</summary>
    public bool Effective { get; init; } = true;
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
    /// <summary>"postgres" for a database of its own (SwarmDatabase), null for none.</summary>
    public string? Database { get; init; }
}

/// <summary>database-rotate: switch the service to its other login role with a new password, through a rollout.</summary>
public sealed record DatabaseRotateRequest
{
    public required int Protocol { get; init; }
    public required string Service { get; init; }
    public int TimeoutSeconds { get; init; } = 300;
}

/// <summary>database-drop: only when <see cref="Confirm"/> repeats the service's name.</summary>
public sealed record DatabaseDropRequest
{
    public required int Protocol { get; init; }
    public required string Service { get; init; }
    public string? Confirm { get; init; }
}

/// <summary>What database-info shows: never a password.</summary>
public sealed record DatabaseInfo
{
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Owner { get; init; }
    public required IReadOnlyList<string> LoginRoles { get; init; }
    /// <summary>The login role the service's connection string uses now.</summary>
    public required string ActiveRole { get; init; }
    public long SizeBytes { get; init; }
    public DateTimeOffset? PasswordSetAt { get; init; }
}

/// <summary>What database-backup made.</summary>
public sealed record BackupInfo
{
    /// <summary>The store key of the (encrypted) dump.</summary>
    public required string Key { get; init; }
    public required long SizeBytes { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>status, secret-list and config-list: which service.</summary>
public sealed record ServiceRequest
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
    public IReadOnlyList<SecretInfo>? Secrets { get; init; }
    /// <summary>The service's key for <see cref="SecretFingerprint"/>, given to its owners with secret-list.</summary>
    public byte[]? FingerprintKey { get; init; }
    public IReadOnlyList<ConfigInfo>? Config { get; init; }
    public DatabaseInfo? Database { get; init; }
    public BackupInfo? Backup { get; init; }

    public static ResponseLine Progress(string message) => new() { Type = Wire.LineTypes.Progress, Message = message };
    public static ResponseLine Error(string code, string message, IReadOnlyList<string>? details = null) =>
        new() { Type = Wire.LineTypes.Error, Code = code, Message = message, Details = details is { Count: > 0 } ? details : null, Protocols = null };
}
