using Futuswarm.Build.Framework;

namespace Futuswarm.Build.LocalCluster;

/// <summary>Step a: the Debian packages the local cluster runs on. Check by binary (fast), install only what
/// is missing, and keep package scripts from starting system daemons (they would take our ports).</summary>
static class HostPackages
{
    sealed record Need(string Package, string What, Func<bool> Present);

    static readonly Need[] Needs =
    [
        new("docker.io", "dockerd", () => File.Exists("/usr/sbin/dockerd")),
        new("docker-registry", "docker-registry", () => File.Exists("/usr/bin/docker-registry")),
        new("openssh-server", "sshd", () => File.Exists("/usr/sbin/sshd")),
        new("caddy", "caddy", () => File.Exists("/usr/bin/caddy")),
        new("busybox-static", "a static /bin/busybox", () => Elf.IsStatic("/bin/busybox")),
        new("postgresql", "postgres", () => PostgresBinary() is not null),
        new("iproute2", "ip", () => File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip")),
        new("jq", "jq (the API sshd's AuthorizedKeysCommand)", () => File.Exists("/usr/bin/jq")),
        new("openssh-client", "ssh", () => File.Exists("/usr/bin/ssh")),
    ];

    const string PolicyRcD = "/usr/sbin/policy-rc.d";

    /// <summary>The docker CLI: the newer one in /usr/local/bin when present, else docker.io's.</summary>
    public static string DockerCli => File.Exists("/usr/local/bin/docker") ? "/usr/local/bin/docker" : "/usr/bin/docker";

    public static string? PostgresBinary() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "postgres"))
                .Where(File.Exists).OrderByDescending(p => p, StringComparer.Ordinal).FirstOrDefault()
            : null;

    public static async Task EnsureAsync(ILog log, CancellationToken ct)
    {
        var missing = Needs.Where(n => !n.Present()).ToList();
        if (missing.Count == 0)
        {
            log.Info("packages: all present, skip");
            return;
        }
        var packages = missing.Select(n => n.Package).Distinct().ToList();
        log.Info($"packages: missing {string.Join(", ", missing.Select(n => n.What))}; installing {string.Join(" ", packages)}");

        var env = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        var options = new ProcOptions { Env = env, Log = log, OnLine = line => log.Detail("apt| " + line) };
        var ownPolicy = !File.Exists(PolicyRcD); // never clobber (or later delete) an administrator's policy
        try
        {
            if (ownPolicy)
            {
                // Exit 101 = "action forbidden": postinst scripts do not start dockerd, sshd, caddy or postgres.
                await File.WriteAllTextAsync(PolicyRcD, "#!/bin/sh\n# Written by Futuswarm LocalCluster during apt-get.\nexit 101\n", ct);
                File.SetUnixFileMode(PolicyRcD, (UnixFileMode)0b111_101_101);
            }
            await Proc.RunAsync("apt-get", ["update"], options, ct);
            // --reinstall also restores a binary deleted from a package dpkg still lists as installed.
            await Proc.RunAsync("apt-get", ["install", "-y", "--reinstall", "--no-install-recommends", .. packages], options, ct);
        }
        catch (ProcException e)
        {
            throw new BuildFailure($"FSW6007: installing {string.Join(" ", packages)} failed: {e.Message}", e);
        }
        finally
        {
            if (ownPolicy) File.Delete(PolicyRcD);
        }

        var still = Needs.Where(n => !n.Present()).Select(n => n.What).ToList();
        if (still.Count > 0)
            throw new BuildFailure($"FSW6007: after apt-get install, still missing: {string.Join(", ", still)}.");
        log.Info($"packages: installed {string.Join(" ", packages)}");
    }
}
