using System.Globalization;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// The form body of a Query-protocol call: Action, Version, then the parameters, lists flattened the way each
/// service's model names them (IAM and ELBv2 <c>Names.member.1</c>, RDS <c>SubnetIds.SubnetIdentifier.1</c>).
/// Values marked secret (a database password) are sent like the rest but kept so they can be scrubbed from
/// anything logged or thrown.
/// </summary>
public sealed class AwsQueryForm
{
    private readonly List<KeyValuePair<string, string>> _fields = [];
    private readonly List<string> _secrets = [];

    public AwsQueryForm(string action, string version)
    {
        Action = action;
        Add("Action", action);
        Add("Version", version);
    }

    public string Action { get; }
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;
    public IReadOnlyList<string> SecretValues => _secrets;

    /// <summary>Adds the parameter; a null value means "not given" and adds nothing.</summary>
    public AwsQueryForm Add(string name, string? value)
    {
        if (value is not null) _fields.Add(new(name, value));
        return this;
    }

    public AwsQueryForm Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public AwsQueryForm Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public AwsQueryForm AddSecret(string name, string value)
    {
        _secrets.Add(value);
        return Add(name, value);
    }

    /// <summary><c>{prefix}.1</c>, <c>{prefix}.2</c>, ... e.g. prefix "Names.member".</summary>
    public AwsQueryForm AddList(string prefix, IEnumerable<string> values)
    {
        var i = 0;
        foreach (var v in values) Add($"{prefix}.{++i}", v);
        return this;
    }

    /// <summary><c>{prefix}.N.Key</c> and <c>{prefix}.N.Value</c>, in key order so a request is reproducible.</summary>
    public AwsQueryForm AddTags(string prefix, IReadOnlyDictionary<string, string>? tags)
    {
        var i = 0;
        foreach (var (key, value) in (tags ?? new Dictionary<string, string>()).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            i++;
            Add($"{prefix}.{i}.Key", key);
            Add($"{prefix}.{i}.Value", value);
        }
        return this;
    }

    /// <summary>application/x-www-form-urlencoded with RFC 3986 escapes (a space is %20), in the order added.</summary>
    public string Encode() =>
        string.Join('&', _fields.Select(f => $"{AwsUriEncoding.Encode(f.Key)}={AwsUriEncoding.Encode(f.Value)}"));

    /// <summary>Only the parameter names, for a log line.</summary>
    public override string ToString() => $"{Action}({string.Join(", ", _fields.Skip(2).Select(f => f.Key))})";
}
