namespace Futuswarm.Build.Framework;

/// <summary>Orders the requested targets after their dependencies. Pure: no I/O, so tests call it directly.</summary>
public static class ExecutionPlanner
{
    /// <summary>Dependencies first, each target once; among independent targets the request order is kept.</summary>
    /// <exception cref="PlanException">Unknown target (requested or depended on) or a dependency cycle.</exception>
    public static IReadOnlyList<TargetSpec> Plan(IReadOnlyCollection<TargetSpec> targets, IEnumerable<string> requested)
    {
        var byName = new Dictionary<string, TargetSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in targets)
            if (!byName.TryAdd(t.Name, t))
                throw new PlanException($"Target '{t.Name}' is defined twice.");

        var plan = new List<TargetSpec>();
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var path = new List<string>(); // the current DFS chain, to name the cycle in the message

        void Visit(string name, string? requiredBy)
        {
            if (!byName.TryGetValue(name, out var target))
                throw new PlanException(requiredBy is null
                    ? $"Unknown target '{name}'. Known targets: {string.Join(", ", byName.Keys.Order())}."
                    : $"Target '{requiredBy}' depends on unknown target '{name}'.");
            if (done.Contains(target.Name)) return;
            var at = path.FindIndex(p => p.Equals(target.Name, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
                throw new PlanException($"Dependency cycle: {string.Join(" -> ", path.Skip(at).Append(target.Name))}.");
            path.Add(target.Name);
            foreach (var dep in target.DependsOn) Visit(dep, target.Name);
            path.RemoveAt(path.Count - 1);
            done.Add(target.Name);
            plan.Add(target);
        }

        foreach (var name in requested) Visit(name, null);
        return plan;
    }
}

/// <summary>A usage error in the target graph or the request: the runner exits with code 2.</summary>
public sealed class PlanException(string message) : Exception(message);
