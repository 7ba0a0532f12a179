using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>The API sshd (DESIGN.md section 4) on its own port: keys from acl.json through AuthorizedKeysCommand,
/// ForceCommand to the relay, no forwarding, no TTY. Port 22 and the system's sshd are never touched.</summary>
public sealed class ApiSshdStep : ManagerStep
{
    public override string Name => "api-sshd";

    /// <summary>The unit (systemd) the program runs as.</summary>
    public const string ServiceName = "futuswarm-api-sshd";

    public static ManagedService Service(ManagerServicesSpec s)
    {
        var p = s.Paths;
        return s.Supervisor == ServiceSupervisorKind.Systemd
            ? new(ServiceName, "Futuswarm API sshd", [s.Sshd, "-D", "-f", p.SshdConfig, "-E", p.SshdLog], p.SshdPid, p.SshdLog, Forks: false, ManagedService.ProcessNameOf(s.Sshd))
            : new(ServiceName, "Futuswarm API sshd", [s.Sshd, "-f", p.SshdConfig, "-E", p.SshdLog], p.SshdPid, p.SshdLog, Forks: true, ManagedService.ProcessNameOf(s.Sshd));
    }

    /// <summary>Installs jq and openssh-server when either program is missing (as over SSH). $1 jq, $2 sshd.</summary>
    const string InstallPrograms = "test -x \"$1\" && test -x \"$2\" && exit 0; " + AptInstall;

    const string AptInstall =
        "apt-get -o DPkg::Lock::Timeout=600 update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q jq openssh-server";

    /// <summary>What the running sshd was started with; the host key's public half as the api-host-key step writes it.</summary>
    public static string Revision(ManagerServicesSpec s, byte[] hostKeyPublic) =>
        ManagerFiles.Revision(ApiSshdFiles.Relay(s), ApiSshdFiles.AuthorizedKeys(s), ApiSshdFiles.Config(s), Convert.ToBase64String(hostKeyPublic));

    /// <summary>The public half the api-host-key step installs for a key from the store.</summary>
    public static byte[] HostKeyPublicFile(ApiHostKeySource key) => System.Text.Encoding.UTF8.GetBytes(key.PublicKey + "\n");

    /// <summary>The SSH form's files, unit and revision file; <c>sshd -t</c> before systemd starts it. Only with the
    /// cluster's key: a key made on the node is not known when the user data is written.</summary>
    public override void Render(NodeSpec spec, CloudConfig config)
    {
        var s = spec.ManagerServices!;
        var p = s.Paths;
        config.Write(p.Relay, ApiSshdFiles.Relay(s), Executable);
        config.Write(p.AuthorizedKeys, ApiSshdFiles.AuthorizedKeys(s), Executable);
        config.Write(p.SshdConfig, ApiSshdFiles.Config(s), Readable);
        WriteUnit(config, Service(s));
        if (s.HostKey is { } key) config.Write(p.SshdRevision, Revision(s, HostKeyPublicFile(key)), Private);
        config.Run("sh", "-c", InstallPrograms, "sh", s.Jq, s.Sshd);
        config.Run("mkdir", "-p", "/run/sshd", p.Run, Path.GetDirectoryName(p.SshdLog)!);
        config.Run(s.Sshd, "-t", "-f", p.SshdConfig);
        config.Run("systemctl", "daemon-reload");
        config.Run("systemctl", "enable", "--now", "--quiet", ServiceName);
    }

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var s = Services(ctx);
        var p = s.Paths;
        if (!(await ctx.Node.RunAsync(["test", "-x", s.Jq], null, ct)).Ok || !(await ctx.Node.RunAsync(["test", "-x", s.Sshd], null, ct)).Ok)
            await ctx.MustAsync(Name, ctx.Node, ["sh", "-c", AptInstall], ct);

        string relay = ApiSshdFiles.Relay(s), keys = ApiSshdFiles.AuthorizedKeys(s), config = ApiSshdFiles.Config(s);
        var changed = await ManagerFiles.EnsureAsync(ctx, Name, p.Relay, relay, ManagerFiles.Executable, ct);
        changed |= await ManagerFiles.EnsureAsync(ctx, Name, p.AuthorizedKeys, keys, ManagerFiles.Executable, ct);
        changed |= await ManagerFiles.EnsureAsync(ctx, Name, p.SshdConfig, config, ManagerFiles.Readable, ct);
        var service = Service(s);
        var supervisor = ServiceSupervisor.For(s.Supervisor);
        var installed = await supervisor.InstallAsync(ctx, Name, service, ct); // a rewritten unit restarts too
        changed |= installed;

        var hostKey = await ctx.Node.ReadFileAsync(p.HostKeyPublic, ct) ?? [];
        var revision = Revision(s, hostKey);
        var running = await supervisor.IsRunningAsync(ctx, service, ct);
        if (running && !installed && await ManagerFiles.RevisionIsAsync(ctx, p.SshdRevision, revision, ct))
            return changed ? Did("rewrote a file the running API sshd uses (its mode or content had been altered)") : Skip($"API sshd runs on port {s.ApiPort}");

        await ctx.MustAsync(Name, ctx.Node, ["mkdir", "-p", "/run/sshd", p.Run, Path.GetDirectoryName(p.SshdLog)!], ct);
        await ctx.MustAsync(Name, ctx.Node, [s.Sshd, "-t", "-f", p.SshdConfig], ct); // a bad config fails here, the old sshd still serving
        await ctx.MustAsync(Name, ctx.Node, ["rm", "-f", p.SshdRevision], ct);
        await supervisor.RestartAsync(ctx, Name, service, ct);
        for (var i = 0; !await supervisor.IsRunningAsync(ctx, service, ct); i++)
        {
            if (i == 40)
                throw new FswException(ErrorCodes.ManagerServiceFailed,
                    $"{ErrorCodes.ManagerServiceFailed}: the API sshd on {ctx.Node.Name} did not start; see {p.SshdLog}. Last output: {Redact.Tail(await supervisor.LogTailAsync(ctx, service, ct))}");
            await Task.Delay(250, ct);
        }
        await ManagerFiles.WriteRevisionAsync(ctx, p.SshdRevision, revision, ct);
        return Did(running ? $"restarted the API sshd on port {s.ApiPort} (its files changed)" : $"started the API sshd on {s.ApiListenAddress}:{s.ApiPort}");
    }
}
