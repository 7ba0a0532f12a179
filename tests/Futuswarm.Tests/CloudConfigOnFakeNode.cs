using System.Text;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Cluster.Nodes.Manager;

namespace Futuswarm.Tests;

/// <summary>A manager's rendered first boot applied to a <see cref="FakeManagerNode"/>: every write_files entry as
/// cloud-init writes it (content and mode), then each runcmd entry's effect as the real program would leave it. An
/// entry it does not know fails the test, so a new first-boot command needs a line here.</summary>
internal static class CloudConfigOnFakeNode
{
    /// <summary>The manager steps' first-boot form, as <see cref="CloudInitRenderer"/> adds it after the swarm steps.</summary>
    public static CloudConfig RenderManagerSteps(NodeSpec spec)
    {
        var config = new CloudConfig();
        foreach (var step in NodeBootstrap.ManagerSteps.Where(s => s.AppliesTo(spec))) step.Render(spec, config);
        return config;
    }

    public static void Apply(CloudConfig config, FakeManagerNode node, ManagerServicesSpec s)
    {
        foreach (var f in config.Files)
            node.Files[f.Path] = (Encoding.UTF8.GetBytes(f.Content), (UnixFileMode)Convert.ToInt32(f.Permissions, 8));
        foreach (var argv in config.RunCmd) Run(argv.ToArray(), node, s);
    }

    static void Run(string[] a, FakeManagerNode node, ManagerServicesSpec s)
    {
        var p = s.Paths;
        switch (a)
        {
            case ["sh", "-c", _, "sh", ManagerPaths.ApiUser, ManagerPaths.ApiUserHome, ManagerPaths.KeysUser]:
                node.Users.Add(ManagerPaths.ApiUser);
                node.Users.Add(ManagerPaths.KeysUser);
                return;
            case ["sh", "-c", ManagerBinariesStep.FirstBoot, "sh", _, _, _, _, var lib, var fingerprint]:
                node.Files[lib + "/Futuswarm.Cluster"] = ("apphost"u8.ToArray(), (UnixFileMode)0b111_101_101);
                node.Files[lib + "/.source-fingerprint"] = (Encoding.UTF8.GetBytes(fingerprint), (UnixFileMode)0b110_100_100);
                return;
            case [_, ApiHostKeyStep.InstallVerb, "--config", _, "--key", var key]:
                node.Files[key] = ("the cluster's private key"u8.ToArray(), (UnixFileMode)0b110_000_000);
                node.Files[key + ".pub"] = (ApiSshdStep.HostKeyPublicFile(s.HostKey!), (UnixFileMode)0b110_100_100);
                return;
            case ["install", "-d", "-o", var uid, "-g", var gid, "-m", var mode, var dir]:
                node.Directories[dir] = $"{uid}:{gid}:{mode.TrimStart('0')}";
                return;
            case ["mkdir", "-p", ..] or ["systemctl", "daemon-reload"]:
                return;
            case ["sh", "-c", _, "sh", var jq, var sshd] when jq == s.Jq && sshd == s.Sshd:
                return; // jq and openssh-server are on the fake already
            case [var sshd, "-t", "-f", _] when sshd == s.Sshd:
                return;
            case ["systemctl", "enable", "--now", "--quiet", var unit]:
                node.Enabled.Add(unit);
                node.RunAsync(["systemctl", "restart", unit]).GetAwaiter().GetResult(); // starts it (the daemon opens its socket)
                return;
        }
        throw new InvalidOperationException("the fake first boot does not know " + string.Join(' ', a));
    }
}
