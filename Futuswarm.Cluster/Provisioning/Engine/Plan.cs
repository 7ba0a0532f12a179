using System.Text;

namespace Futuswarm.Cluster.Provisioning.Engine;

/// <summary>
/// What a run would change (or changed), in dependency order. Printed by PlanCluster and compared in tests;
/// an empty plan is a converged cluster.
/// </summary>
public sealed class Plan(string cluster, IReadOnlyList<Change> changes)
{
    public string Cluster { get; } = cluster;
    public IReadOnlyList<Change> Changes { get; } = changes;
    public bool IsEmpty => Changes.Count == 0;

    public int Count(ChangeAction action) => Changes.Count(c => c.Action == action);

    public string Summary => IsEmpty
        ? $"Cluster \"{Cluster}\": no changes, the cloud matches the definition."
        : $"Cluster \"{Cluster}\": {Count(ChangeAction.Create)} to create, {Count(ChangeAction.Update)} to update, "
          + $"{Count(ChangeAction.Replace)} to replace, {Count(ChangeAction.Delete)} to delete.";

    /// <summary>The readable form: a summary line, then each change with its reason and its fields.</summary>
    public string ToText()
    {
        var text = new StringBuilder().Append(Summary).Append('\n');
        foreach (var change in Changes)
        {
            text.Append('\n').Append(change.Symbol).Append(' ').Append(change.Address)
                .Append("  # ").Append(change.Reason).Append('\n');
            foreach (var field in change.Fields)
                text.Append("    ").Append(field).Append('\n');
        }
        return text.ToString();
    }

    public override string ToString() => ToText();
}
