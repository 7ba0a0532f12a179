using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>The first admin's key: --key, else ~/.ssh/id_ed25519.pub, else one generated in the profile directory. ~/.ssh is never written.</summary>
sealed record AdminKey(string PublicKey, string? IdentityFile)
{
    public static async Task<AdminKey> ResolveAsync(LocalClusterSettings s, ILog log, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(s.Key))
        {
            var pub = s.Key.EndsWith(".pub", StringComparison.Ordinal) ? s.Key : s.Key + ".pub";
            if (!File.Exists(pub)) throw new BuildFailure($"FSW6009: --key {s.Key}: no public key at {pub}.");
            var priv = pub[..^4];
            return new AdminKey(File.ReadAllText(pub).Trim(), File.Exists(priv) ? priv : null);
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var userKey = Path.Combine(home, ".ssh", "id_ed25519.pub");
        if (File.Exists(userKey)) return new AdminKey(File.ReadAllText(userKey).Trim(), null);

        var generated = Path.Combine(LocalProfile.Directory, "local.id_ed25519");
        if (!File.Exists(generated))
        {
            Directory.CreateDirectory(LocalProfile.Directory);
            await Proc.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "futuswarm-local-admin", "-f", generated], new ProcOptions { Log = log }, ct);
            log.Info($"generated the admin key {generated}");
        }
        return new AdminKey(File.ReadAllText(generated + ".pub").Trim(), generated);
    }
}
