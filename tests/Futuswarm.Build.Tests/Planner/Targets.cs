namespace Futuswarm.Build.Tests.Planner;

/// <summary>Target graphs for the planner tests: specs without actions.</summary>
static class Targets
{
    public static TargetSpec T(string name, params string[] dependsOn) => new(name, "", dependsOn, null);

    public static string[] Names(IEnumerable<TargetSpec> plan) => plan.Select(t => t.Name).ToArray();

    /// <summary>Runs the planner and returns the planned names.</summary>
    public static string[] Plan(TargetSpec[] graph, params string[] requested) =>
        Names(ExecutionPlanner.Plan(graph, requested));
}
