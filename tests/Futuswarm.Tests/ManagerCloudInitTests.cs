using System.Diagnostics;
using System.Text.Json;
using Futuswarm.Cluster.Nodes;
using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>
/// A manager's own services at first boot: the bundle copied from the state bucket, the host key installed by the
/// manager binaries from the store, the units and the revision files the SSH steps compare, no secret in the text. The
/// SSH steps run afterwards on a node holding exactly what the user data leaves there skip every step.
/// </summary>
public class ManagerCloudInitTests
{
    const string PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIClusterKeyClusterKeyClusterKeyClusterKey00 futuswarm-prod-api";
    static readonly ManagerBundleObject Object = new("futuswarm-prod-123456789012-state", "cluster/manager-bundles/linux-x64-0123456789abcdef.tar.gz", "eu-west-1");

    static ManagerServicesSpec Services(string? config = null) => ManagerTestSpecs.Services() with
    {
        DaemonConfigJson = config ?? "{\"clusterName\":\"prod\",\"keepReleases\":5}",
        // Neither is used at first boot nor by an SSH run that finds them in place: each throws.
        Bundle = new ManagerBundle("linux-x64-0123456789abcdef", _ => throw new InvalidOperationException("the bundle was fetched")),
        HostKey = new ApiHostKeySource(PublicKey, _ => throw new InvalidOperationException("the private key was opened")),
        BundleObject = Object,
        EdgeDirectory = new EdgeDirectorySpec("/var/lib/futuswarm-edge", 1654),
        ApiListenAddress = "0.0.0.0",
    };

    static NodeSpec FirstManager(ManagerServicesSpec services) => new()
    {
        Name = "prod-manager-1",
        Role = NodeRole.FirstManager,
        AdvertiseAddress = "10.42.0.10",
        Region = "eu-west-1",
        PublishJoinTokens = new JoinTokenParameters("/futuswarm/prod/swarm/join-token/worker", "/futuswarm/prod/swarm/join-token/manager"),
        ManagerServices = services,
    };

    static List<string[]> RunCmd(string yaml) => yaml.Split('\n').SkipWhile(l => l != "runcmd:").Skip(1)
        .Where(l => l.StartsWith("  - [")).Select(l => JsonSerializer.Deserialize<string[]>(l[4..])!).ToList();

    [Fact]
    public void The_user_data_copies_the_bundle_installs_the_host_key_from_the_store_and_starts_both_units_after_the_swarm()
    {
        var services = Services();
        var yaml = CloudInitRenderer.Render(FirstManager(services));
        var runcmd = RunCmd(yaml);
        var p = services.Paths;

        var binaries = runcmd.FindIndex(a => a is ["sh", "-c", ManagerBinariesStep.FirstBoot, ..]);
        Assert.Equal(["sh", "-c", ManagerBinariesStep.FirstBoot, "sh", Object.Bucket, Object.Key, Object.Region, "/run/futuswarm/managerd-bundle.tar.gz", p.Lib, services.Bundle.Fingerprint],
            runcmd[binaries]);
        Assert.Contains("aws s3 cp \"s3://$1/$2\" \"$4\" --region \"$3\"", ManagerBinariesStep.FirstBoot);
        var hostKey = runcmd.FindIndex(a => a.SequenceEqual([p.ClusterExecutable, "install-api-host-key", "--config", p.DaemonConfig, "--key", p.HostKey]));
        var daemon = runcmd.FindIndex(a => a.SequenceEqual(["systemctl", "enable", "--now", "--quiet", ManagerDaemonStep.ServiceName]));
        var sshdCheck = runcmd.FindIndex(a => a.SequenceEqual([services.Sshd, "-t", "-f", p.SshdConfig]));
        var sshd = runcmd.FindIndex(a => a.SequenceEqual(["systemctl", "enable", "--now", "--quiet", ApiSshdStep.ServiceName]));
        var init = runcmd.FindIndex(a => a.Contains("init"));
        Assert.True(init >= 0 && init < binaries && binaries < hostKey && hostKey < daemon && daemon < sshdCheck && sshdCheck < sshd,
            $"order: init {init}, binaries {binaries}, host key {hostKey}, daemon {daemon}, sshd -t {sshdCheck}, sshd {sshd}");
        Assert.Contains(runcmd, a => a.SequenceEqual(["install", "-d", "-o", "1654", "-g", "1654", "-m", "0750", "/var/lib/futuswarm-edge"]));

        foreach (var path in new[] { p.DaemonConfig, p.DaemonEnvironment, p.DaemonLauncher, p.DaemonRevision, p.Relay, p.AuthorizedKeys, p.SshdConfig, p.SshdRevision,
                     "/etc/systemd/system/futuswarm-managerd.service", "/etc/systemd/system/futuswarm-api-sshd.service" })
            Assert.Contains($"- path: \"{path}\"", yaml);
        Assert.Contains(ManagerDaemonStep.Revision(services), yaml);
        Assert.Contains(ApiSshdStep.Revision(services, ApiSshdStep.HostKeyPublicFile(services.HostKey!)), yaml); // covers the key's public half
        Assert.DoesNotContain("PRIVATE KEY", yaml);
        Assert.DoesNotMatch(@"(?i)""password""\s*:|password=|secret", yaml); // sshd_config's "PasswordAuthentication no" is no secret
        Assert.DoesNotMatch(@"SWMTKN-1-[A-Za-z0-9]", yaml);
    }

    [Fact]
    public void Every_file_is_written_before_any_command_and_the_private_files_are_0600()
    {
        var services = Services();
        var config = CloudConfigOnFakeNode.RenderManagerSteps(FirstManager(services));
        var modes = config.Files.ToDictionary(f => f.Path, f => f.Permissions);
        var p = services.Paths;
        Assert.Equal(("0644", "0600", "0755", "0600", "0600"), (modes[p.DaemonConfig], modes[p.DaemonEnvironment], modes[p.DaemonLauncher], modes[p.DaemonRevision], modes[p.SshdRevision]));
        Assert.Equal(("0755", "0755", "0644"), (modes[p.Relay], modes[p.AuthorizedKeys], modes[p.SshdConfig]));
        Assert.DoesNotContain(config.Files, f => f.Path.StartsWith(p.Lib, StringComparison.Ordinal) || f.Path.StartsWith(p.Ssh + "/api_host", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_SSH_steps_after_a_first_boot_find_everything_in_place_and_change_nothing()
    {
        var services = Services();
        var spec = FirstManager(services);
        var node = ManagerTestSpecs.FakeNode(services);
        CloudConfigOnFakeNode.Apply(CloudConfigOnFakeNode.RenderManagerSteps(spec), node, services);
        node.Commands.Clear();

        var log = new List<string>();
        var results = await ManagerTestSpecs.RunAsync(node, spec, log);

        Assert.Equal(["manager-users", "manager-binaries", "api-host-key", "edge-dir", "managerd", "api-sshd"], results.Select(r => r.Step));
        Assert.All(results, r => Assert.False(r.Changed, $"{r.Step}: {r.Detail}"));
        Assert.Empty(node.Writes);
        Assert.Empty(node.Commands.Where(FakeManagerNode.IsMutating));
    }

    [Fact]
    public async Task A_later_SSH_run_with_the_databases_endpoint_rewrites_managerd_json_and_restarts_only_the_daemon()
    {
        var atLaunch = Services();
        var node = ManagerTestSpecs.FakeNode(atLaunch);
        CloudConfigOnFakeNode.Apply(CloudConfigOnFakeNode.RenderManagerSteps(FirstManager(atLaunch)), node, atLaunch);

        var withDatabase = Services("{\"clusterName\":\"prod\",\"database\":{\"host\":\"db.example\"}}");
        var results = await ManagerTestSpecs.RunAsync(node, FirstManager(withDatabase), []);

        Assert.Equal(["managerd"], results.Where(r => r.Changed).Select(r => r.Step));
        Assert.Contains(node.Commands, c => c.SequenceEqual(["systemctl", "restart", ManagerDaemonStep.ServiceName]));
        Assert.Equal(ManagerDaemonStep.Revision(withDatabase), node.Text(withDatabase.Paths.DaemonRevision));
    }

    [Fact]
    public void Cloud_init_refuses_manager_services_without_the_bundles_S3_object_or_without_systemd()
    {
        foreach (var services in new[] { Services() with { BundleObject = null }, Services() with { Supervisor = ServiceSupervisorKind.PidFile } })
        {
            var e = Assert.Throws<FswException>(() => CloudInitRenderer.Render(FirstManager(services)));
            Assert.Equal(ErrorCodes.NodeSpecInvalid, e.Code);
        }
        var bad = Assert.Throws<FswException>(() => CloudInitRenderer.Render(FirstManager(Services() with { BundleObject = Object with { Key = "a/../b" } })));
        Assert.Contains("bundle key", bad.Message);
    }

    [Fact]
    public async Task The_bundle_script_takes_hostile_values_as_data_installs_whole_and_then_skips()
    {
        using var dir = new TempDirectory();
        var bin = dir.Sub("bin");
        var payload = dir.Sub("payload");
        File.WriteAllText(Path.Combine(payload, "Futuswarm.Cluster"), "apphost");
        var archive = Path.Combine(dir.Path, "bundle.tar.gz");
        Assert.Equal(0, (await Sh(dir.Path, bin, "tar -czf \"$1\" -C \"$2\" .", archive, payload)).Code);
        // aws s3 cp <src> <dst> --region <r> --only-show-errors: records its argv, copies the archive to <dst> ($4).
        File.WriteAllText(Path.Combine(bin, "aws"), $"#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"{bin}/aws.argv\"\ncp \"{archive}\" \"$4\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "aws"), (UnixFileMode)0b111_101_101);

        const string key = "cluster/$(touch pwned)`touch pwned2` x;.tar.gz";
        const string fingerprint = "fp'; touch pwned3; '";
        var lib = Path.Combine(dir.Path, "opt dir", "lib", "cluster");
        var file = Path.Combine(dir.Path, "work", "managerd-bundle.tar.gz");
        string[] args = ["bucket$(id)", key, "eu-west-1", file, lib, fingerprint];

        var first = await Sh(dir.Path, bin, ManagerBinariesStep.FirstBoot, args);
        Assert.True(first.Code == 0, first.Err);
        Assert.Equal("apphost", File.ReadAllText(Path.Combine(lib, "Futuswarm.Cluster")));
        Assert.Equal(fingerprint, File.ReadAllText(Path.Combine(lib, ".source-fingerprint")));
        Assert.Equal(["s3", "cp", $"s3://bucket$(id)/{key}", file, "--region", "eu-west-1", "--only-show-errors"],
            File.ReadAllLines(Path.Combine(bin, "aws.argv")));
        Assert.False(File.Exists(file)); // the archive goes on exit
        Assert.False(Directory.Exists(lib + ".new") || Directory.Exists(lib + ".old"));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "pwned*", SearchOption.AllDirectories));

        File.Delete(Path.Combine(bin, "aws.argv"));
        Assert.Equal(0, (await Sh(dir.Path, bin, ManagerBinariesStep.FirstBoot, args)).Code);
        Assert.False(File.Exists(Path.Combine(bin, "aws.argv"))); // the fingerprint is there: nothing copied
    }

    static async Task<(int Code, string Err)> Sh(string cwd, string bin, string script, params string[] args)
    {
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd };
        foreach (var a in new[] { "-c", script, "sh" }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await err);
    }
}
