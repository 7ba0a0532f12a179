using Amazon;
using Amazon.KeyManagementService;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Config;

/// <summary>Makes the store and the key provider that managerd.json asks for; bad settings are FSW5009 at start.</summary>
public static class StateFactory
{
    public static IStateStore CreateStore(DaemonConfig config, IReadOnlyDictionary<string, int>? groupReadable) =>
        config.Store.Kind switch
        {
            StoreConfig.Directory => new LocalDirectoryStore(config.StateDirectory, groupReadable),
            _ => throw Invalid($"store.kind '{config.Store.Kind}' is not known; use '{StoreConfig.Directory}' or '{StoreConfig.S3}'"),
        };

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
}
