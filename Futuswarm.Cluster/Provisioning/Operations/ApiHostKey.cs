using System.Diagnostics;
using System.Text.Json;
using Futuswarm.Cluster.Secrets;
using Futuswarm.Cluster.State;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>
/// The SSH host key of the cluster's API (DESIGN.md sections 4 and 5). Made once by provisioning and kept sealed in
/// the store, so every manager, replacements included, presents the same key, and developers' profiles pin it before
/// any manager exists. The private half never touches the operator's disk outside a private temporary folder that
/// is deleted at once.
/// </summary>
public static class ApiHostKey
{
    public const string StoreKey = "cluster/api-host-key.json";
    public const string ContextService = "futuswarm", ContextKey = "api-host-key";

    private sealed record Record(string PublicKey, byte[] SealedPrivateKey);

    /// <summary>The public key ("ssh-ed25519 AAAA... comment"), made and sealed on the first run.</summary>
    public static async Task<(string PublicKey, bool Created)> EnsureAsync(ClusterStore cluster, CancellationToken ct)
    {
        if (await cluster.Store.ReadAsync<Record>(StoreKey, ct) is { } existing) return (existing.PublicKey, false);
        var (publicKey, privateKey) = await GenerateAsync(cluster.Cluster, ct);
        try
        {
            var sealedKey = await cluster.Cipher.SealAsync(Context(cluster.Cluster), privateKey, ct);
            await cluster.Store.WriteAsync(StoreKey, new Record(publicKey, sealedKey), ct);
            return (publicKey, true);
        }
        finally { Array.Clear(privateKey); }
    }

    /// <summary>The public key as sealed in the store, or null when provisioning has not made it yet.</summary>
    public static async Task<string?> ReadPublicKeyAsync(ClusterStore cluster, CancellationToken ct) =>
        (await cluster.Store.ReadAsync<Record>(StoreKey, ct))?.PublicKey;

    /// <summary>The private key in OpenSSH format, for a manager's bootstrap (never logged).</summary>
    public static async Task<byte[]> OpenPrivateKeyAsync(ClusterStore cluster, CancellationToken ct)
    {
        var record = await cluster.Store.ReadAsync<Record>(StoreKey, ct)
            ?? throw new FswException(ErrorCodes.ClusterStateMissing,
                $"The cluster's API host key ({StoreKey}) is not in the store of cluster \"{cluster.Cluster}\". Run ./build.sh ProvisionCluster, which makes it.");
        return await cluster.Cipher.OpenAsync(Context(cluster.Cluster), record.SealedPrivateKey, ct);
    }

    private static SecretContext Context(string cluster) => new(cluster, ContextService, ContextKey);

    /// <summary>ssh-keygen with fixed arguments (the comment is the validated cluster name) in a 0700 folder.</summary>
    private static async Task<(string PublicKey, byte[] PrivateKey)> GenerateAsync(string cluster, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("futuswarm-hostkey-");
        try
        {
            File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var path = Path.Combine(dir.FullName, "key");
            var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-q", "-t", "ed25519", "-N", "", "-C", $"futuswarm-{cluster}-api", "-f", path }) start.ArgumentList.Add(a);
            Process process;
            try { process = Process.Start(start)!; }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new FswException(ErrorCodes.ClusterStateMissing, $"ssh-keygen could not be started ({e.Message}): install openssh-client.");
            }
            using (process)
            {
                var error = process.StandardError.ReadToEndAsync(ct);
                await process.StandardOutput.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                if (process.ExitCode != 0) throw new InvalidOperationException($"ssh-keygen failed ({process.ExitCode}): {(await error).Trim()}");
            }
            return ((await File.ReadAllTextAsync(path + ".pub", ct)).Trim(), await File.ReadAllBytesAsync(path, ct));
        }
        finally { dir.Delete(recursive: true); }
    }
}
