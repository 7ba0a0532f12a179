using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>
/// The daemon's PostgreSQL master, made by <c>Futuswarm.Cluster ensure-database-master</c> on the node: RDS is
/// reachable from the nodes only, and the command reads the admin's login from the store itself, so no password
/// crosses SSH or an argument. Before the daemon starts, which uses the master. The command is idempotent and says
/// whether it changed anything; its output holds no secret.
/// </summary>
public sealed class DatabaseMasterStep : ManagerStep
{
    public override string Name => "database-master";

    public override bool AppliesTo(NodeSpec spec) => spec.ManagerServices?.EnsureDatabaseMaster == true;

    /// <summary>Loads the daemon's environment file as the daemon's launcher does; the values are data to the shell.</summary>
    const string WithEnvironment = "set -a; . \"$1\"; set +a; shift; exec \"$@\"";

    static string[] Command(ManagerServicesSpec s) =>
        ["sh", "-c", WithEnvironment, "sh", s.Paths.DaemonEnvironment, .. s.Launcher, "ensure-database-master", "--config", s.Paths.DaemonConfig];

    /// <summary>The files come from the managerd step's write_files (cloud-init writes every file before any command).</summary>
    public override void Render(NodeSpec spec, CloudConfig config) => config.Run(Command(spec.ManagerServices!));

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var s = Services(ctx);
        var paths = s.Paths;
        // The same files the managerd step writes (same bytes, so that step then finds them in place).
        await ManagerFiles.EnsureAsync(ctx, Name, paths.DaemonConfig, s.DaemonConfigJson, ManagerFiles.Readable, ct);
        await ManagerFiles.EnsureAsync(ctx, Name, paths.DaemonEnvironment, ManagerDaemonStep.Environment(s), ManagerFiles.Private, ct);
        var r = await ctx.MustAsync(Name, ctx.Node, Command(s), ct);
        var last = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "done";
        return last.Contains("nothing changed", StringComparison.Ordinal) ? Skip(Redact.Tail(last, 200)) : Did(Redact.Tail(last, 200));
    }
}
