namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>A long-running program of the manager: its command (plain validated values), and where a pid-file
/// supervisor keeps its pid and output. <paramref name="Forks"/>: the program daemonizes itself and writes its own
/// pid file (sshd); otherwise the supervisor backgrounds it. <paramref name="ProcessName"/>: the name the running
/// program has (its executable's, as the kernel keeps it), so a pid file left from before a reboot, whose pid now
/// belongs to another program, is not taken for the service.</summary>
public sealed record ManagedService(string Name, string Description, IReadOnlyList<string> Command, string PidFile, string LogFile, bool Forks,
    string ProcessName)
{
    /// <summary>The kernel's name of a process running <paramref name="executable"/> (at most 15 characters).</summary>
    public static string ProcessNameOf(string executable)
    {
        var name = Path.GetFileName(executable);
        return name.Length <= 15 ? name : name[..15];
    }
}

/// <summary>Starts, stops and checks a manager's programs on a node, through the node's shell (so the same code runs
/// over SSH and on this machine).</summary>
public abstract class ServiceSupervisor
{
    public static ServiceSupervisor For(ServiceSupervisorKind kind) => kind switch
    {
        ServiceSupervisorKind.Systemd => new SystemdSupervisor(),
        _ => new PidFileSupervisor(),
    };

    /// <summary>Makes the service known (a unit file, enabled at boot); true when that changed anything.</summary>
    public abstract Task<bool> InstallAsync(NodeContext ctx, string step, ManagedService service, CancellationToken ct);
    public abstract Task<bool> IsRunningAsync(NodeContext ctx, ManagedService service, CancellationToken ct);
    /// <summary>Stops the service if it runs, then starts it.</summary>
    public abstract Task RestartAsync(NodeContext ctx, string step, ManagedService service, CancellationToken ct);
    /// <summary>Its last output lines, for an error that says why it did not start.</summary>
    public abstract Task<string> LogTailAsync(NodeContext ctx, ManagedService service, CancellationToken ct);
}

/// <summary>systemd units under /etc/systemd/system, restarted by systemd when they exit.</summary>
public sealed class SystemdSupervisor : ServiceSupervisor
{
    public static string UnitPath(ManagedService s) => $"/etc/systemd/system/{s.Name}.service";

    public static string Unit(ManagedService s) => $"""
        # Written by Futuswarm's node bootstrap.
        [Unit]
        Description={s.Description}
        After=network-online.target docker.service
        Wants=network-online.target

        [Service]
        Type=simple
        ExecStart={string.Join(' ', s.Command)}
        Restart=always
        RestartSec=3

        [Install]
        WantedBy=multi-user.target

        """;

    public override async Task<bool> InstallAsync(NodeContext ctx, string step, ManagedService service, CancellationToken ct)
    {
        var unit = System.Text.Encoding.UTF8.GetBytes(Unit(service));
        var path = UnitPath(service);
        var changed = !((await ctx.Node.ReadFileAsync(path, ct)) ?? []).AsSpan().SequenceEqual(unit);
        if (changed)
        {
            await ctx.Node.WriteFileAsync(path, unit, ManagerFiles.Readable, ct);
            await ctx.MustAsync(step, ctx.Node, ["systemctl", "daemon-reload"], ct);
        }
        if (!(await ctx.Node.RunAsync(["systemctl", "is-enabled", "--quiet", service.Name], null, ct)).Ok)
        {
            await ctx.MustAsync(step, ctx.Node, ["systemctl", "enable", "--quiet", service.Name], ct);
            changed = true;
        }
        return changed;
    }

    public override async Task<bool> IsRunningAsync(NodeContext ctx, ManagedService service, CancellationToken ct) =>
        (await ctx.Node.RunAsync(["systemctl", "is-active", "--quiet", service.Name], null, ct)).Ok;

    public override Task RestartAsync(NodeContext ctx, string step, ManagedService service, CancellationToken ct) =>
        ctx.MustAsync(step, ctx.Node, ["systemctl", "restart", service.Name], ct);

    public override async Task<string> LogTailAsync(NodeContext ctx, ManagedService service, CancellationToken ct) =>
        (await ctx.Node.RunAsync(["journalctl", "--unit", service.Name, "--lines", "20", "--no-pager", "--output", "cat"], null, ct)).StdOut;
}

/// <summary>Where there is no systemd: start-stop-daemon (Debian's dpkg, on every node) with a pid file. Nothing
/// restarts an exited program until the next bootstrap run.</summary>
public sealed class PidFileSupervisor : ServiceSupervisor
{
    const string Ssd = "start-stop-daemon";

    public override Task<bool> InstallAsync(NodeContext ctx, string step, ManagedService service, CancellationToken ct) => Task.FromResult(false);

    public override async Task<bool> IsRunningAsync(NodeContext ctx, ManagedService service, CancellationToken ct) =>
        (await ctx.Node.RunAsync([Ssd, "--status", "--pidfile", service.PidFile, "--name", service.ProcessName], null, ct)).Ok;

    public override async Task RestartAsync(NodeContext ctx, string step, ManagedService service, CancellationToken ct)
    {
        await ctx.MustAsync(step, ctx.Node, [Ssd, "--stop", "--oknodo", "--quiet", "--pidfile", service.PidFile, "--name", service.ProcessName, "--retry", "TERM/10/KILL/5", "--remove-pidfile"], ct);
        await ctx.MustAsync(step, ctx.Node, ["mkdir", "-p", Path.GetDirectoryName(service.PidFile)!, Path.GetDirectoryName(service.LogFile)!], ct);
        string[] start = service.Forks
            ? [Ssd, "--start", "--quiet", "--pidfile", service.PidFile, "--exec", service.Command[0], "--", .. service.Command.Skip(1)]
            : [Ssd, "--start", "--quiet", "--background", "--make-pidfile", "--pidfile", service.PidFile, "--output", service.LogFile,
               "--startas", service.Command[0], "--", .. service.Command.Skip(1)];
        await ctx.MustAsync(step, ctx.Node, start, ct);
    }

    public override async Task<string> LogTailAsync(NodeContext ctx, ManagedService service, CancellationToken ct) =>
        (await ctx.Node.RunAsync(["tail", "-n", "20", service.LogFile], null, ct)).StdOut;
}
