namespace Futuswarm.Build.Benchmarks;

/// <summary>A copy of samples/HelloSwarm in the scratch folder, pointed at the packed SDK the way the integration
/// tests do (global.json msbuild-sdks + NuGet.Config with artifacts/packages), with its own service name.</summary>
sealed class AppCopy
{
    const string AnswerAnchor = "(served by {Environment.MachineName})";
    readonly string program;

    public string Directory { get; }
    public string ServiceName { get; }
    public string ProjectFile => Path.Combine(Directory, "HelloSwarm.csproj");

    public AppCopy(BenchEnvironment env, string folder, string serviceName)
    {
        Directory = Path.Combine(env.WorkDir, folder);
        ServiceName = serviceName;
        System.IO.Directory.CreateDirectory(Directory);
        var sample = Path.Combine(BuildBase.RootDirectory, "samples", "HelloSwarm");
        program = File.ReadAllText(Path.Combine(sample, "Program.cs"));
        if (!program.Contains(AnswerAnchor)) throw new BuildFailure($"samples/HelloSwarm/Program.cs no longer contains '{AnswerAnchor}'.");
        File.WriteAllText(Path.Combine(Directory, "Program.cs"), program);
        var project = File.ReadAllText(Path.Combine(sample, "HelloSwarm.csproj"));
        const string marker = "</SwarmHealthCheckPath>";
        File.WriteAllText(ProjectFile, project.Replace(marker, $"{marker}\n    <SwarmServiceName>{serviceName}</SwarmServiceName>"));
        File.WriteAllText(Path.Combine(Directory, "global.json"),
            $"{{ \"sdk\": {{ \"version\": \"10.0.100\", \"rollForward\": \"latestFeature\" }}, \"msbuild-sdks\": {{ \"Futuswarm.Sdk\": \"{env.SdkVersion}\" }} }}\n");
        File.WriteAllText(Path.Combine(Directory, "NuGet.Config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><add key=\"futuswarm-local\" value=\"{env.Packages}\" /></packageSources></configuration>\n");
    }

    /// <summary>A code change: "/" answers with <paramref name="marker"/>, so the content key and the image change.</summary>
    public void SetAnswer(string marker) =>
        File.WriteAllText(Path.Combine(Directory, "Program.cs"), program.Replace(AnswerAnchor, $"{marker} {AnswerAnchor}"));
}
