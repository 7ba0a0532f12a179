namespace Futuswarm.Build.Tests.Parameters;

/// <summary>Parameter specs shaped like the LocalCluster ones, and helpers to parse with a fake environment.</summary>
static class Specs
{
    public static readonly ParameterSpec EdgePort = new("edge-port", "host port", ParameterKind.Value);
    public static readonly ParameterSpec Dir = new("dir", "data root", ParameterKind.Value);
    public static readonly ParameterSpec Down = new("down", "stop", ParameterKind.Flag);
    public static readonly ParameterSpec User = new("user", "deployer", ParameterKind.List);
    public static readonly ParameterSpec UseExistingSwarm = new("use-existing-swarm", "accept swarm", ParameterKind.Flag);

    public static readonly ParameterSpec[] All = [EdgePort, Dir, Down, User, UseExistingSwarm];

    public static ParsedCommandLine Parse(params string[] args) => Parse(args, new Dictionary<string, string>());

    public static ParsedCommandLine Parse(string[] args, Dictionary<string, string> env) =>
        CommandLineParser.Parse(args, All, name => env.GetValueOrDefault(name));
}
