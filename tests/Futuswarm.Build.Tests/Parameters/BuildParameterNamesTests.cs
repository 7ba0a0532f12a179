using System.Reflection;

namespace Futuswarm.Build.Tests.Parameters;

/// <summary>The real build class exposes the LocalCluster parameters the README and docs name.</summary>
public class BuildParameterNamesTests
{
    static Dictionary<string, ParameterSpec> BuildParameters()
    {
        var build = new global::Futuswarm.Build.Build();
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        return typeof(global::Futuswarm.Build.Build).GetMembers(flags)
            .Where(m => m is FieldInfo or PropertyInfo)
            .Select(m => (Member: m, Attr: m.GetCustomAttribute<ParameterAttribute>()))
            .Where(x => x.Attr is not null)
            .Select(x => BoundParameter.Create(x.Member, x.Attr!, build).Spec)
            .ToDictionary(s => s.Name);
    }

    [Theory]
    [InlineData("edge-port", ParameterKind.Value, "8080")]
    [InlineData("dir", ParameterKind.Value, "/var/lib/futuswarm/local")]
    [InlineData("down", ParameterKind.Flag, null)]
    [InlineData("user", ParameterKind.List, null)]
    [InlineData("engine", ParameterKind.Value, null)]
    [InlineData("use-existing-swarm", ParameterKind.Flag, null)]
    public void LocalCluster_parameters_keep_their_names_kinds_and_defaults(string name, ParameterKind kind, string? def)
    {
        var specs = BuildParameters();

        Assert.True(specs.ContainsKey(name), $"--{name} is missing; have {string.Join(", ", specs.Keys)}");
        Assert.Equal(kind, specs[name].Kind);
        Assert.Equal(def, specs[name].Default);
    }
}
