using Amazon.Runtime;
using Futuswarm.Cluster.Access;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>managerd.json's store section: S3 settings are checked at start (FSW5009, naming the field), and the
/// kind decides the store the daemon gets.</summary>
public sealed class StateFactoryStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly AWSCredentials Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret");

    private DaemonConfig Config(StoreConfig store) => new()
    {
        ClusterName = "t", BaseDomain = "example.test", DockerSocket = "/var/run/docker.sock", StateDirectory = _dir.Path,
        SocketPath = "/run/fsw.sock", RelayUser = "futuswarm", Edge = new EdgeConfig { Image = "edge", PublishedPort = 80, StateDirectory = "/tmp" },
        Store = store,
    };

    private static StoreConfig S3 => new() { Kind = StoreConfig.S3, Bucket = "futuswarm-state", Region = "eu-north-1" };

    public static TheoryData<string, StoreConfig> Invalid => new()
    {
        { "store.kind 'dynamo'", new StoreConfig { Kind = "dynamo" } },
        { "store.bucket is required", S3 with { Bucket = null } },
        { "store.bucket 'Bad_Bucket'", S3 with { Bucket = "Bad_Bucket" } },
        { "store.bucket 'ab'", S3 with { Bucket = "ab" } },
        { "store.prefix 'clusters/prod'", S3 with { Prefix = "clusters/prod" } },
        { "store.prefix '/clusters/'", S3 with { Prefix = "/clusters/" } },
        { "store.prefix 'a//'", S3 with { Prefix = "a//" } },
        { "store.prefix '../'", S3 with { Prefix = "../" } },
        { "store.serviceUrl 'localhost:4569'", S3 with { ServiceUrl = "localhost:4569" } },
        { "store.serviceUrl 'ftp://127.0.0.1/'", S3 with { ServiceUrl = "ftp://127.0.0.1/" } },
        { "store.region is required", S3 with { Region = null } },
        { "store.serverSideEncryption 'none'", S3 with { ServerSideEncryption = "none" } },
        { "store.sseKmsKeyId needs", S3 with { ServerSideEncryption = StoreConfig.SseAes256, SseKmsKeyId = "k" } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Bad_store_settings_are_FSW5009_naming_the_field(string expected, StoreConfig store)
    {
        var e = Assert.Throws<FswException>(() => StateFactory.CreateStore(Config(store), null, Credentials));
        Assert.Equal(ErrorCodes.StoreConfigInvalid, e.Code);
        Assert.Contains(expected, e.Message);
        Assert.Contains("managerd.json", e.Message);
    }

    [Fact]
    public void The_directory_store_is_the_default()
    {
        Assert.IsType<LocalDirectoryStore>(StateFactory.CreateStore(Config(new StoreConfig()), null));
    }

    [Fact]
    public void An_S3_compatible_endpoint_needs_no_region_and_a_keys_group_gets_the_mirror()
    {
        var local = S3 with { Region = null, ServiceUrl = "http://127.0.0.1:4569", ForcePathStyle = true, Prefix = "clusters/local/" };
        Assert.IsType<S3StateStore>(StateFactory.CreateStore(Config(local), null, Credentials));
        var mirrored = StateFactory.CreateStore(Config(local), new Dictionary<string, int> { [AclRepository.Key] = 0 }, Credentials);
        Assert.IsType<S3StateStore>(Assert.IsType<LocalMirrorStore>(mirrored).Inner);
    }

    [Fact]
    public void Managerd_json_reads_the_store_section_with_SSE_KMS_by_default()
    {
        var path = _dir.File("managerd.json", """
            {"clusterName":"t","baseDomain":"example.test","dockerSocket":"/d.sock","stateDirectory":"/s","socketPath":"/m.sock","relayUser":"futuswarm",
             "edge":{"image":"edge","publishedPort":80,"stateDirectory":"/e"},
             "store":{"kind":"s3","bucket":"futuswarm-state","region":"eu-north-1","sseKmsKeyId":"alias/futuswarm"}}
            """);
        var store = DaemonConfig.Load(path).Store;
        Assert.Equal(StoreConfig.S3, store.Kind);
        Assert.Equal(StoreConfig.SseKms, store.ServerSideEncryption);
        Assert.Equal("alias/futuswarm", store.SseKmsKeyId);
        Assert.Equal("", store.Prefix);
    }

    public void Dispose() => _dir.Dispose();
}
