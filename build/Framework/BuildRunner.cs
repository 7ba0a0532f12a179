using System.Diagnostics;
using System.Reflection;

namespace Futuswarm.Build.Framework;

/// <summary>Main loop: discover targets and parameters on the build class, parse, plan, run.
/// Exit codes: 0 ok, 1 a target failed, 2 usage error (unknown target/parameter, bad value), 130 cancelled.</summary>
public static class BuildRunner
{
    const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    static readonly ParameterSpec Help = new("help", "Lists targets and parameters.", ParameterKind.Flag);
    static readonly ParameterSpec Verbose = new("verbose", "Also prints the commands run and probe results.", ParameterKind.Flag);

    public static async Task<int> RunAsync<TBuild>(string[] args) where TBuild : BuildBase, new()
    {
        var build = new TBuild();
        var targets = DiscoverTargets(build);
        var parameters = DiscoverParameters(build);
        var specs = parameters.Select(p => p.Spec).Append(Help).Append(Verbose).ToList();
        var log = new ConsoleLog(verbose: false);

        IReadOnlyList<TargetSpec> plan;
        try
        {
            var cl = CommandLineParser.Parse(args, specs, Environment.GetEnvironmentVariable);
            if (cl.Flag(Help)) { PrintHelp(targets, specs); return 0; }
            if (cl.Targets.Count == 0) throw new UsageException("No target given.");
            plan = ExecutionPlanner.Plan(targets, cl.Targets);
            foreach (var p in parameters) p.Bind(build, cl.Raw(p.Spec));
            log = new ConsoleLog(cl.Flag(Verbose));
            foreach (var p in parameters.Where(p => cl.Raw(p.Spec) is not null))
                log.Detail($"--{p.Spec.Name} = {(p.Spec.Secret ? "***" : string.Join(", ", cl.Raw(p.Spec)!))}");
        }
        catch (Exception e) when (e is UsageException or PlanException)
        {
            log.Error("error: " + e.Message);
            log.Error("Run ./build.sh --help for the targets and parameters.");
            return 2;
        }

        build.Log = log;
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { if (!cts.IsCancellationRequested) { e.Cancel = true; cts.Cancel(); } };

        var total = Stopwatch.StartNew();
        foreach (var target in plan)
        {
            log.Header($"==> {target.Name}");
            var sw = Stopwatch.StartNew();
            try
            {
                if (target.Action is not null) await target.Action(cts.Token);
            }
            catch (Exception e)
            {
                log.Header($"<== {target.Name} failed after {Seconds(sw)}");
                return Report(log, e, cts.IsCancellationRequested);
            }
            log.Header($"<== {target.Name} done in {Seconds(sw)}");
        }
        if (plan.Count > 1) log.Header($"Build succeeded in {Seconds(total)}");
        return 0;
    }

    static int Report(ConsoleLog log, Exception e, bool cancelled)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        if (cancelled && e is OperationCanceledException) { log.Error("error: cancelled."); return 130; }
        if (e is BuildFailure or ProcException or UsageException)
            log.Error("error: " + e.Message);
        else
        {
            log.Error($"error: {e.GetType().Name}: {e.Message}");
            if (log.Verbose) log.Error(e.ToString()); else log.Error("(--verbose shows the stack trace)");
        }
        return e is UsageException ? 2 : 1;
    }

    static string Seconds(Stopwatch sw) => $"{sw.Elapsed.TotalSeconds:0.00} s";

    static List<TargetSpec> DiscoverTargets(object build) =>
        build.GetType().GetProperties(Members)
            .Where(p => p.PropertyType == typeof(Target))
            .Select(p => ((Target)p.GetValue(build)!)(new TargetDefinition(p.Name)).ToSpec())
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

    static List<BoundParameter> DiscoverParameters(object build)
    {
        var list = new List<BoundParameter>();
        for (var type = build.GetType(); type is not null && type != typeof(object); type = type.BaseType)
            foreach (var m in type.GetMembers(Members | BindingFlags.DeclaredOnly))
                if (m.GetCustomAttribute<ParameterAttribute>() is { } attr && m is FieldInfo or PropertyInfo)
                    list.Add(BoundParameter.Create(m, attr, build));
        return list.OrderBy(p => p.Spec.Name, StringComparer.Ordinal).ToList();
    }

    static void PrintHelp(IReadOnlyList<TargetSpec> targets, IReadOnlyList<ParameterSpec> specs)
    {
        Console.WriteLine("Usage: ./build.sh <Target> [--parameter value ...]");
        Console.WriteLine();
        Console.WriteLine("Targets:");
        var tw = targets.Max(t => t.Name.Length) + 2;
        foreach (var t in targets)
        {
            var deps = t.DependsOn.Count > 0 ? $" (after {string.Join(", ", t.DependsOn)})" : "";
            Console.WriteLine($"  {t.Name.PadRight(tw)}{t.Description}{deps}");
        }
        Console.WriteLine();
        Console.WriteLine("Parameters (--name value, else the environment variable FUTUSWARM_NAME):");
        var rows = specs.Select(s => (Left: "--" + s.Name + s.Kind switch
        {
            ParameterKind.Flag => "", ParameterKind.List => " <value> (repeatable)", _ => " <value>",
        }, s)).ToList();
        var pw = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, s) in rows)
        {
            var def = s.Default is null ? "" : $" Default: {(s.Secret ? "***" : s.Default)}.";
            Console.WriteLine($"  {left.PadRight(pw)}{s.Description}{def}");
        }
    }
}
