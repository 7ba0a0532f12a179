namespace Futuswarm.Build.Framework;

/// <summary>A target as Nuke writes it: <c>Target Pack =&gt; _ =&gt; _.DependsOn(nameof(Compile)).Executes(...)</c>.
/// The property name is the target name.</summary>
public delegate TargetDefinition Target(TargetDefinition _);

/// <summary>The fluent builder a <see cref="Target"/> lambda fills in.</summary>
public sealed class TargetDefinition(string name)
{
    public string Name { get; } = name;
    public string Description { get; private set; } = "";
    public List<string> Dependencies { get; } = [];
    public Func<CancellationToken, Task>? Action { get; private set; }

    public TargetDefinition Describe(string description) { Description = description; return this; }

    /// <summary>Targets that run before this one when both are in the plan (names, e.g. nameof(Compile)).</summary>
    public TargetDefinition DependsOn(params string[] targets) { Dependencies.AddRange(targets); return this; }

    public TargetDefinition Executes(Func<CancellationToken, Task> action) { Action = action; return this; }

    public TargetDefinition Executes(Action action) => Executes(_ => { action(); return Task.CompletedTask; });

    public TargetSpec ToSpec() => new(Name, Description, Dependencies.ToArray(), Action);
}

/// <summary>The immutable form the planner and runner work with.</summary>
public sealed record TargetSpec(
    string Name, string Description, IReadOnlyList<string> DependsOn, Func<CancellationToken, Task>? Action);
