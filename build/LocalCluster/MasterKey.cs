using Futuswarm.Build.Framework;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Protocol;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The secrets master key (the local cluster has no KMS): made once, root 0600 in a root-only directory,
/// never overwritten, since every secret is lost with it. An existing key is checked here (length, mode), so a
/// broken file fails LocalCluster rather than the daemon's start.</summary>
static class MasterKey
{
    public static void Ensure(ManagerLayout layout, ILog log)
    {
        var dir = Path.GetDirectoryName(layout.KeyFile)!;
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            if (File.Exists(layout.KeyFile))
            {
                LocalKeyProvider.Load(layout.KeyFile).Dispose();
                log.Detail($"secrets master key {layout.KeyFile} present");
                return;
            }
            LocalKeyProvider.CreateKeyFile(layout.KeyFile);
            log.Info($"created the secrets master key {layout.KeyFile} (root, 0600); back it up: secrets cannot be read without it");
        }
        catch (FswException e)
        {
            throw new BuildFailure($"{e.Code}: {e.Message}", e);
        }
    }
}
