using System.Text;
using Futuswarm.Cluster.Config;
using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>
/// <c>Futuswarm.Cluster install-api-host-key --config managerd.json --key &lt;file&gt;</c>: the api-host-key step at a
/// manager's first boot. Opens the cluster's API host key from the store with managerd.json's store and keys (the
/// manager's role may decrypt under the cluster's context), writes the private half 0600 and the public half 0644
/// (the bytes the SSH form writes, so its revision matches), and skips when the node has that key. Prints no secret.
/// </summary>
public static class InstallApiHostKeyCommand
{
    public static Task<int> RunAsync(DaemonConfig config, string keyPath, CancellationToken ct)
    {
        var cluster = new ClusterStore(config.ClusterName, StateFactory.CreateStore(config, null), new EnvelopeCipher(StateFactory.CreateKeys(config)));
        return RunAsync(cluster, keyPath, Console.WriteLine, ct);
    }

    public static async Task<int> RunAsync(ClusterStore cluster, string keyPath, Action<string> output, CancellationToken ct)
    {
        var publicKey = await ApiHostKey.ReadPublicKeyAsync(cluster, ct)
            ?? throw new FswException(ErrorCodes.ClusterStateMissing,
                $"the cluster's API host key ({ApiHostKey.StoreKey}) is not in the store of cluster \"{cluster.Cluster}\"; run ./build.sh ProvisionCluster, which makes it.");
        var pub = keyPath + ".pub";
        if (File.Exists(pub) && SameKey(File.ReadAllText(pub).Trim(), publicKey) && File.Exists(keyPath) && new FileInfo(keyPath).Length > 0)
        {
            output($"api host key: {pub} is the cluster's; nothing changed");
            return 0;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyPath))!);
        var privateKey = await ApiHostKey.OpenPrivateKeyAsync(cluster, ct);
        try { Write(keyPath, privateKey, Private); }
        finally { Array.Clear(privateKey); }
        Write(pub, ApiSshdStep.HostKeyPublicFile(new ApiHostKeySource(publicKey, _ => Task.FromResult(Array.Empty<byte>()))), Readable);
        output($"api host key: installed the cluster's key in {keyPath}");
        return 0;
    }

    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    const UnixFileMode Readable = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Created with its mode (never readable by others, even for a moment), then renamed over the target.</summary>
    static void Write(string path, byte[] content, UnixFileMode mode)
    {
        var temp = path + ".tmp";
        File.Delete(temp);
        using (var f = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
            f.Write(content);
        File.SetUnixFileMode(temp, mode); // the umask may have narrowed it
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Type and key material; the comment may differ (as the SSH form compares).</summary>
    static bool SameKey(string a, string b) => string.Join(' ', a.Split(' ').Take(2)) == string.Join(' ', b.Split(' ').Take(2));
}
