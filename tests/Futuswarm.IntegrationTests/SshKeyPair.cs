using System.Diagnostics;

namespace Futuswarm.IntegrationTests;

/// <summary>A throwaway ed25519 key made at run time (no key is ever committed).</summary>
public sealed class SshKeyPair : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fsw-key-" + Guid.NewGuid().ToString("N")[..8]);
    public string PrivateKeyFile => Path.Combine(_dir, "id_ed25519");
    public string PublicKey => File.ReadAllText(PrivateKeyFile + ".pub").Trim();

    public SshKeyPair()
    {
        System.IO.Directory.CreateDirectory(_dir);
        var psi = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-q", "-t", "ed25519", "-N", "", "-C", "fsw-test", "-f", PrivateKeyFile }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("ssh-keygen failed: " + p.StandardError.ReadToEnd());
    }

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);
}
