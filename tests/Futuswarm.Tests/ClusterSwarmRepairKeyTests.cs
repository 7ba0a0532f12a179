using System.Diagnostics;
using Futuswarm.Cluster.Provisioning.Operations;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>RepairCluster's --ssh-key is checked before the repair changes anything: a missing, unreadable or
/// passphrase-protected key is FSW6057 naming the option.</summary>
public sealed class ClusterSwarmRepairKeyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("futuswarm-sshkey-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string KeyGen(string name, string passphrase)
    {
        var path = Path.Combine(_dir.FullName, name);
        var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-q", "-t", "ed25519", "-N", passphrase, "-f", path }) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return path;
    }

    [Fact]
    public void A_plain_private_key_passes()
    {
        ClusterSwarmRepair.CheckKey(KeyGen("ok", ""));
    }

    [Theory]
    [InlineData("missing", "there is no such file")]
    [InlineData("garbage", "not a private key")]
    [InlineData("public", "not a private key")]
    [InlineData("passphrase", "has a passphrase")]
    public void An_unusable_key_is_FSW6057_naming_the_option(string kind, string why)
    {
        var path = kind switch
        {
            "missing" => Path.Combine(_dir.FullName, "nothing-here"),
            "garbage" => Write("garbage", "not a key at all\n"),
            "public" => KeyGen("pub", "") + ".pub",
            _ => KeyGen("locked", "correct horse"),
        };

        var e = Assert.Throws<FswException>(() => ClusterSwarmRepair.CheckKey(path));

        Assert.Equal(ErrorCodes.SshKeyUnusable, e.Code);
        Assert.Contains("--ssh-key", e.Message);
        Assert.Contains(why, e.Message);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}
