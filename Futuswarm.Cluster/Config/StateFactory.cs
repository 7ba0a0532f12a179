using Amazon;
using System.Text.RegularExpressions;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Config;

/// <summary>Makes the store and the key provider that managerd.json asks for; bad settings are FSW5009 at start.</summary>
public static partial class StateFactory
{
    /// <param name="groupReadable">Keys one other group reads from local disk (acl.json for sshd's AuthorizedKeysCommand):
    /// group-readable files in the directory store; with S3, files mirrored into <see cref="DaemonConfig.StateDirectory"/>.</param>
    /// <param name="credentials">null: the SDK's default chain (environment, instance profile).</param>
    public static IStateStore CreateStore(DaemonConfig config, IReadOnlyDictionary<string, int>? groupReadable, AWSCredentials? credentials = null)
    {
        switch (config.Store.Kind)
        {
            case StoreConfig.Directory:
                return new LocalDirectoryStore(config.StateDirectory, groupReadable);
            case StoreConfig.S3:
                var s3 = CreateS3Store(config.Store, credentials);
                return groupReadable is { Count: > 0 } ? new LocalMirrorStore(s3, config.StateDirectory, groupReadable) : s3;
            default:
                throw Invalid($"store.kind '{config.Store.Kind}' is not known; use '{StoreConfig.Directory}' or '{StoreConfig.S3}'");
        }
    }

    public static S3StateStore CreateS3Store(StoreConfig c, AWSCredentials? credentials = null)
    {
        if (string.IsNullOrEmpty(c.Bucket)) throw Invalid("store.bucket is required for the S3 store");
        if (!BucketName().IsMatch(c.Bucket)) throw Invalid($"store.bucket '{c.Bucket}' is not a valid S3 bucket name (3-63 lower-case letters, digits, '.', '-')");
        if (c.Prefix.Length > 0 && (!c.Prefix.EndsWith('/') || c.Prefix.StartsWith('/') || c.Prefix[..^1].Split('/').Any(p => p is "" or "." or "..")))
            throw Invalid($"store.prefix '{c.Prefix}' must be empty or path segments ending in '/', e.g. 'clusters/prod/'");
        if (c.ServerSideEncryption is not (StoreConfig.SseKms or StoreConfig.SseAes256))
            throw Invalid($"store.serverSideEncryption '{c.ServerSideEncryption}' is not known; use '{StoreConfig.SseKms}' or '{StoreConfig.SseAes256}'");
        if (c.SseKmsKeyId is not null && c.ServerSideEncryption != StoreConfig.SseKms)
            throw Invalid($"store.sseKmsKeyId needs store.serverSideEncryption '{StoreConfig.SseKms}'");
        var s3Config = new AmazonS3Config { ForcePathStyle = c.ForcePathStyle, Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(c.ServiceUrl))
        {
            if (!Uri.TryCreate(c.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw Invalid($"store.serviceUrl '{c.ServiceUrl}' is not an http(s) URL");
            s3Config.ServiceURL = c.ServiceUrl;
            s3Config.AuthenticationRegion = string.IsNullOrEmpty(c.Region) ? "us-east-1" : c.Region;
        }
        else if (string.IsNullOrEmpty(c.Region))
            throw Invalid("store.region is required for the S3 store on AWS (the bucket's region)"); // rather than a slow guess from instance metadata
        else s3Config.RegionEndpoint = RegionEndpoint.GetBySystemName(c.Region);
        var client = credentials is null ? new AmazonS3Client(s3Config) : new AmazonS3Client(credentials, s3Config);
        return new S3StateStore(client, c.Bucket, c.Prefix, c.ServerSideEncryption, c.SseKmsKeyId);
    }

    public static IDataKeyProvider CreateKeys(DaemonConfig config)
    {
        var k = config.Keys;
        switch (k.Kind)
        {
            case KeysConfig.Local:
                if (string.IsNullOrEmpty(k.KeyFile)) throw Invalid("keys.keyFile is required for the local key provider");
                return LocalKeyProvider.Load(k.KeyFile);
            case KeysConfig.Kms:
                if (string.IsNullOrEmpty(k.KmsKeyId)) throw Invalid("keys.kmsKeyId is required for the KMS key provider");
                var kmsConfig = new AmazonKeyManagementServiceConfig();
                if (k.ServiceUrl is { Length: > 0 } url) kmsConfig.ServiceURL = url;
                if (k.Region is { Length: > 0 } region) kmsConfig.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
                return new KmsKeyProvider(new AmazonKeyManagementServiceClient(kmsConfig), k.KmsKeyId);
            default:
                throw Invalid($"keys.kind '{k.Kind}' is not known; use '{KeysConfig.Local}' or '{KeysConfig.Kms}'");
        }
    }

    private static FswException Invalid(string what) =>
        new(ErrorCodes.StoreConfigInvalid, $"managerd.json: {what}. Fix it and restart the daemon.");

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\\z")]
    private static partial Regex BucketName();
}
