namespace Futuswarm.Cluster.Nodes.Manager;

/// <summary>The database's service master (DESIGN.md section 7) on a cluster whose PostgreSQL provisioning made
/// (RDS): `ensure-database-master` of the installed binaries, on the first manager, after managerd.json names the
/// endpoint. The command checks before it acts and prints nothing secret; its admin login comes from the store.</summary>
public sealed class DatabaseMasterStep : ManagerStep
{
    public override string Name => "database-master";

    public override bool AppliesTo(NodeSpec spec) =>
        base.AppliesTo(spec) && spec.ManagerServices!.EnsureDatabaseMaster && spec.Role == NodeRole.FirstManager;

    // A fixed script: the environment file is read as the daemon's launcher reads it; the program and its arguments
    // arrive as positional parameters.
    const string WithEnvironment = "set -a; . \"$1\"; set +a; shift; exec \"$@\"";

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var s = Services(ctx);
        var r = await ctx.MustAsync(Name, ctx.Node,
            ["sh", "-c", WithEnvironment, "sh", s.Paths.DaemonEnvironment, .. s.Launcher, "ensure-database-master", "--config", s.Paths.DaemonConfig], ct);
        var last = r.StdOut.Trim().Split('\n')[^1];
        return last.Contains("nothing changed", StringComparison.Ordinal) ? Skip(last) : Did(last);
    }
}
