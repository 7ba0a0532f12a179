using System.Globalization;
using System.Reflection;

namespace Futuswarm.Build.Framework;

/// <summary>A [Parameter] member of the build class and how to set it from raw command-line strings.</summary>
sealed class BoundParameter
{
    public required ParameterSpec Spec { get; init; }
    public required MemberInfo Member { get; init; }
    Type Type => Member is FieldInfo f ? f.FieldType : ((PropertyInfo)Member).PropertyType;

    public static BoundParameter Create(MemberInfo member, ParameterAttribute attr, object build)
    {
        var type = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
        var kind = type == typeof(bool) ? ParameterKind.Flag : type == typeof(string[]) ? ParameterKind.List : ParameterKind.Value;
        if (kind == ParameterKind.Value && Nullable.GetUnderlyingType(type) is null && type != typeof(string) && type != typeof(int))
            throw new InvalidOperationException($"Parameter {member.Name}: type {type.Name} is not supported.");
        var current = member is FieldInfo fi ? fi.GetValue(build) : ((PropertyInfo)member).GetValue(build);
        var def = current switch
        {
            null or false => null,
            string[] a => a.Length == 0 ? null : string.Join(", ", a),
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            var x => x.ToString(),
        };
        return new BoundParameter
        {
            Spec = new ParameterSpec(ParameterSpec.KebabFromMember(member.Name), attr.Description, kind, attr.Secret, def),
            Member = member,
        };
    }

    /// <summary>Sets the member from its raw values (null: not given, the initializer's default stays).</summary>
    public void Bind(object build, IReadOnlyList<string>? raw)
    {
        if (raw is null) return;
        var target = Nullable.GetUnderlyingType(Type) ?? Type;
        object value;
        if (Spec.Kind == ParameterKind.List) value = raw.ToArray();
        else if (target == typeof(bool)) value = raw[0] == "true";
        else if (target == typeof(int))
            value = int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n : throw new UsageException($"Parameter '--{Spec.Name}' expects a whole number, not '{raw[0]}'.");
        else value = raw[0];
        if (Spec.Secret) foreach (var v in raw) Secrets.Register(v);
        if (Member is FieldInfo f) f.SetValue(build, value); else ((PropertyInfo)Member).SetValue(build, value);
    }
}
