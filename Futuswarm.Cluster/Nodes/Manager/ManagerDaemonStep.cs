using System.Text;
using Futuswarm.Cluster.Nodes.CloudInit;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>futuswarm-managerd: its configuration, its root-only environment file, a launcher that reads that file,
/// and the supervised program. Restarted only when one of those or the binaries changed, or when it is not running;
/// ready once it opens its socket (after it has started the edge proxy).</summary>
public sealed class ManagerDaemonStep : ManagerStep
{
    public override string Name => "managerd";

    /// <summary>The unit (systemd) the program runs as.</summary>
    public const string ServiceName = "futuswarm-managerd";

    public static ManagedService Service(ManagerServicesSpec s) =>
        new(ServiceName, "Futuswarm manager daemon", [s.Paths.DaemonLauncher], s.Paths.DaemonPid, s.Paths.DaemonLog, Forks: false,
            ManagedService.ProcessNameOf(s.Launcher[0])); // the launcher script execs the program

    public static string Launcher(ManagerServicesSpec s) =>
        "#!/bin/sh\n" +
        "# Written by Futuswarm's node bootstrap: the daemon's environment comes from a root-only file, never from arguments.\n" +
        $"set -a\n. {s.Paths.DaemonEnvironment}\nset +a\n" +
        $"exec {string.Join(' ', s.Launcher)} managerd --config {s.Paths.DaemonConfig}\n";

    /// <summary>KEY='value' lines: the launcher's shell reads them as data, whatever the value holds.</summary>
    public static string Environment(ManagerServicesSpec s) =>
        string.Concat(s.DaemonEnvironment.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={PosixQuote.Arg(v.Value)}\n"));

    /// <summary>The revision the SSH form compares: what the program is started with.</summary>
    public static string Revision(ManagerServicesSpec s) => ManagerFiles.Revision(s.DaemonConfigJson, Environment(s), Launcher(s), s.Bundle.Fingerprint);

    /// <summary>The SSH form's files, unit and revision file; systemd starts it (and restarts it until it stays up).
    /// The revision is written with the files: systemd, not a bootstrap run, sees the start through, and a later SSH
    /// run that finds the unit inactive restarts it anyway.</summary>
    public override void Render(NodeSpec spec, CloudConfig config)
    {
        var s = spec.ManagerServices!;
        var p = s.Paths;
        config.Write(p.DaemonConfig, s.DaemonConfigJson, Readable);
        config.Write(p.DaemonEnvironment, Environment(s), Private);
        config.Write(p.DaemonLauncher, Launcher(s), Executable);
        WriteUnit(config, Service(s));
        config.Write(p.DaemonRevision, Revision(s), Private);
        config.Run("mkdir", "-p", p.Run, Path.GetDirectoryName(p.DaemonLog)!);
        config.Run("systemctl", "daemon-reload");
        config.Run("systemctl", "enable", "--now", "--quiet", ServiceName);
    }

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var s = Services(ctx);
        var paths = s.Paths;
        var service = Service(s);
        var supervisor = ServiceSupervisor.For(s.Supervisor);
        string config = s.DaemonConfigJson, environment = Environment(s), launcher = Launcher(s);

        var changed = await ManagerFiles.EnsureAsync(ctx, Name, paths.DaemonConfig, config, ManagerFiles.Readable, ct);
        changed |= await ManagerFiles.EnsureAsync(ctx, Name, paths.DaemonEnvironment, environment, ManagerFiles.Private, ct);
        changed |= await ManagerFiles.EnsureAsync(ctx, Name, paths.DaemonLauncher, launcher, ManagerFiles.Executable, ct);
        // A rewritten unit is not what the running program was started from: it restarts too.
        var installed = await supervisor.InstallAsync(ctx, Name, service, ct);
        changed |= installed;

        var revision = Revision(s);
        var running = await supervisor.IsRunningAsync(ctx, service, ct);
        if (running && !installed && await ManagerFiles.RevisionIsAsync(ctx, paths.DaemonRevision, revision, ct))
            return changed ? Did("rewrote a file the running daemon was started from (its mode or content had been altered)") : Skip("manager daemon runs");

        await ctx.MustAsync(Name, ctx.Node, ["mkdir", "-p", paths.Run, Path.GetDirectoryName(paths.DaemonLog)!], ct);
        await ctx.MustAsync(Name, ctx.Node, ["rm", "-f", paths.DaemonRevision, paths.Socket], ct); // a stale socket is no sign of readiness
        await supervisor.RestartAsync(ctx, Name, service, ct);
        await WaitForSocketAsync(ctx, s, service, supervisor, ct);
        await ManagerFiles.WriteRevisionAsync(ctx, paths.DaemonRevision, revision, ct);
        return Did(running ? (changed ? "restarted the manager daemon (its configuration or binaries changed)" : "restarted the manager daemon")
                           : "started the manager daemon");
    }

    static async Task WaitForSocketAsync(NodeContext ctx, ManagerServicesSpec s, ManagedService service, ServiceSupervisor supervisor, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(s.StartSeconds);
        var missed = 0;
        while (!(await ctx.Node.RunAsync(["test", "-S", s.Paths.Socket], null, ct)).Ok)
        {
            // Twice in a row: just after the start the launcher script may not have exec'd the program yet.
            missed = await supervisor.IsRunningAsync(ctx, service, ct) ? 0 : missed + 1;
            var exited = missed >= 2;
            if (exited || DateTime.UtcNow > deadline)
            {
                var tail = Redact.Tail(await supervisor.LogTailAsync(ctx, service, ct));
                throw new FswException(ErrorCodes.ManagerServiceFailed,
                    $"{ErrorCodes.ManagerServiceFailed}: the manager daemon on {ctx.Node.Name} " +
                    (exited ? "exited during start-up" : $"did not open {s.Paths.Socket} within {s.StartSeconds} s") +
                    $"; see {s.Paths.DaemonLog} (or journalctl -u {service.Name}), fix what it says and run again. Last output: {tail}");
            }
            await Task.Delay(250, ct);
        }
    }
}
