using System.Text.Json;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Config;

/// <summary>The node-level settings the manager daemon starts with (managerd.json, written by LocalCluster or bootstrap).</summary>
public sealed record DaemonConfig
{
    public required string ClusterName { get; init; }
    /// <summary>Services answer at &lt;svc&gt;.&lt;BaseDomain&gt;.</summary>
    public required string BaseDomain { get; init; }
    /// <summary>How users reach the edge, for the URLs the daemon reports: "http://{0}:8080" style suffix handled by PublicPort.</summary>
    public string PublicScheme { get; init; } = "https";
    public int? PublicPort { get; init; }
    public required string DockerSocket { get; init; }
    public required string StateDirectory { get; init; }
    public required string SocketPath { get; init; }
    /// <summary>The SSH login user whose relay may talk to the daemon; the socket gets its group.</summary>
    public required string RelayUser { get; init; }
    /// <summary>The group of the AuthorizedKeysCommand user, which may read acl.json.</summary>
    public string? KeysGroup { get; init; }
    public string Network { get; init; } = "futuswarm";
    public required EdgeConfig Edge { get; init; }
    /// <summary>Swarm placement constraints for tenant services (e.g. node.role==worker on AWS).</summary>
    public List<string> PlacementConstraints { get; init; } = [];
    /// <summary>Where the state lives (DESIGN.md section 6); the local directory unless S3 is configured.</summary>
    public StoreConfig Store { get; init; } = new();
    /// <summary>What wraps the data keys of secrets: a local key file or KMS.</summary>
    public KeysConfig Keys { get; init; } = new();
    /// <summary>How many releases back Docker secrets are kept beyond the current and previous ones.</summary>
    public int KeepReleases { get; init; } = 5;
    /// <summary>The cluster's PostgreSQL; null when the cluster offers no databases.</summary>
    public DatabaseConfig? Database { get; init; }

    public static DaemonConfig Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<DaemonConfig>(File.ReadAllBytes(path), Wire.Json)
                ?? throw new FswException(ErrorCodes.StateCorrupt, $"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new FswException(ErrorCodes.StateCorrupt, $"{path} is not a valid daemon configuration: {e.Message}");
        }
    }

    /// <summary>managerd.json as the bootstrap writes it (the same bytes wherever it is written, so revisions compare).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, WriteOptions);

    private static readonly JsonSerializerOptions WriteOptions = new(Wire.Json) { WriteIndented = true };

    public string UrlOf(string service) =>
        $"{PublicScheme}://{service}.{BaseDomain}{(PublicPort is { } p && !(PublicScheme == "https" && p == 443) && !(PublicScheme == "http" && p == 80) ? ":" + p : "")}/";
}

public sealed record EdgeConfig
{
    public required string Image { get; init; }
    public required int PublishedPort { get; init; }
    /// <summary>Host directory mounted into the proxy: its admin socket and its saved configuration.</summary>
    public required string StateDirectory { get; init; }
    public List<string> PlacementConstraints { get; init; } = ["node.role==manager"];
}

public sealed record StoreConfig
{
    public const string Directory = "directory";
    public const string S3 = "s3";
    public const string SseKms = "aws:kms";
    public const string SseAes256 = "AES256";
    /// <summary>"directory" (StateDirectory) or "s3".</summary>
    public string Kind { get; init; } = Directory;
    public string? Bucket { get; init; }
    /// <summary>A key prefix inside the bucket, e.g. "clusters/prod/"; empty for the bucket's root.</summary>
    public string Prefix { get; init; } = "";
    public string? Region { get; init; }
    /// <summary>An S3-compatible endpoint (e.g. http://127.0.0.1:4569); null for AWS.</summary>
    public string? ServiceUrl { get; init; }
    public bool ForcePathStyle { get; init; }
    /// <summary>The encryption asked for on every write: "aws:kms" (what the bucket policy on AWS requires) or "AES256".</summary>
    public string ServerSideEncryption { get; init; } = SseKms;
    /// <summary>The KMS key for aws:kms (the cluster's key); null lets S3 use its AWS-managed key (aws/s3).</summary>
    public string? SseKmsKeyId { get; init; }
}

public sealed record KeysConfig
{
    public const string Local = "local";
    public const string Kms = "kms";
    /// <summary>"local" (a 32-byte key file, 0600) or "kms".</summary>
    public string Kind { get; init; } = Local;
    public string? KeyFile { get; init; }
    public string? KmsKeyId { get; init; }
    public string? Region { get; init; }
    public string? ServiceUrl { get; init; }
}

/// <summary>
/// The cluster's PostgreSQL (RDS on AWS). The master's password is not here: it is sealed in the store
/// (databases/master.json), so only the daemon can use it.
/// </summary>
public sealed record DatabaseConfig
{
    /// <summary>How the daemon reaches the server.</summary>
    public required string Host { get; init; }
    public int Port { get; init; } = 5432;
    /// <summary>How tasks reach it (on the local cluster the bridge gateway, not loopback); Host when null.</summary>
    public string? ServiceHost { get; init; }
    public int? ServicePort { get; init; }
    public required string MasterUser { get; init; }
    /// <summary>Npgsql's SSL Mode for the daemon and for services: "Require" on AWS, "Disable" on the local cluster.</summary>
    public string SslMode { get; init; } = "Require";
    /// <summary>pg_dump, matching the server's major version.</summary>
    public string PgDump { get; init; } = "pg_dump";
}
