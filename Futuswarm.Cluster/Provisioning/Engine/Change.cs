namespace Futuswarm.Cluster.Provisioning.Engine;

public enum ChangeAction
{
    Create,
    Update,
    Replace,
    Delete,
}

/// <summary>One field of a resource going from <see cref="From"/> to <see cref="To"/>; null is "absent".</summary>
public sealed record FieldChange(string Field, string? From, string? To)
{
    public static FieldChange Set(string field, string to) => new(field, null, to);
    public static FieldChange Add(string field, string value) => new(field, null, value);
    public static FieldChange Remove(string field, string value) => new(field, value, null);

    public override string ToString() => (From, To) switch
    {
        (null, not null) => $"+ {Field}: {To}",
        (not null, null) => $"- {Field}: {From}",
        _ => $"~ {Field}: {From} -> {To}",
    };
}

/// <summary>
/// One planned change to one resource, with the reason. A value: two plans of the same cloud and definition
/// are equal, so tests assert plans directly.
/// </summary>
public sealed record Change(ResourceAddress Address, ChangeAction Action, string Reason, IReadOnlyList<FieldChange> Fields)
{
    public bool Equals(Change? other) =>
        other is not null && Address == other.Address && Action == other.Action && Reason == other.Reason
        && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => HashCode.Combine(Address, Action, Reason, Fields.Count);

    public string Symbol => Action switch
    {
        ChangeAction.Create => "+",
        ChangeAction.Update => "~",
        ChangeAction.Replace => "-/+",
        _ => "-",
    };

    public override string ToString() => $"{Symbol} {Address} ({Reason})";
}
