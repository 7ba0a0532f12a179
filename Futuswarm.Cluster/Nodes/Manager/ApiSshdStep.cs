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

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var s = Services(ctx);
        var p = s.Paths;
        if (!(await ctx.Node.RunAsync(["test", "-x", s.Jq], null, ct)).Ok || !(await ctx.Node.RunAsync(["test", "-x", s.Sshd], null, ct)).Ok)
            await ctx.MustAsync(Name, ctx.Node, ["sh", "-c", "apt-get -o DPkg::Lock::Timeout=600 update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q jq openssh-server"], ct);

        string relay = ApiSshdFiles.Relay(s), keys = ApiSshdFiles.AuthorizedKeys(s), config = ApiSshdFiles.Config(s);
        var changed = await ManagerFiles.EnsureAsync(ctx, Name, p.Relay, relay, ManagerFiles.Executable, ct);
        changed |= await ManagerFiles.EnsureAsync(ctx, Name, p.AuthorizedKeys, keys, ManagerFiles.Executable, ct);
        changed |= await ManagerFiles.EnsureAsync(ctx, Name, p.SshdConfig, config, ManagerFiles.Readable, ct);
        var service = Service(s);
        var supervisor = ServiceSupervisor.For(s.Supervisor);
        var installed = await supervisor.InstallAsync(ctx, Name, service, ct); // a rewritten unit restarts too
        changed |= installed;

        var hostKey = await ctx.Node.ReadFileAsync(p.HostKeyPublic, ct) ?? [];
        var revision = ManagerFiles.Revision(relay, keys, config, Convert.ToBase64String(hostKey));
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
