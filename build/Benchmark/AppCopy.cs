namespace Futuswarm.Build.Benchmarks;

/// <summary>A copy of samples/HelloSwarm in the scratch folder, pointed at the packed SDK the way the integration
/// tests do (global.json msbuild-sdks + NuGet.Config with artifacts/packages), with its own service name; or, with
/// <c>futuswarmSdk: false</c>, the same app as a plain ASP.NET Core project (the Futuswarm lines taken out), as a team
/// without Futuswarm has it.</summary>
sealed class AppCopy
{
    const string AnswerAnchor = "(served by {Environment.MachineName})";
    readonly string program;

    public string Directory { get; }
    public string ServiceName { get; }
    public string ProjectFile => Path.Combine(Directory, "HelloSwarm.csproj");

    public AppCopy(BenchEnvironment env, string folder, string serviceName, bool futuswarmSdk = true)
    {
        Directory = Path.Combine(env.WorkDir, folder);
        ServiceName = serviceName;
        System.IO.Directory.CreateDirectory(Directory);
        var sample = Path.Combine(BuildBase.RootDirectory, "samples", "HelloSwarm");
        program = File.ReadAllText(Path.Combine(sample, "Program.cs"));
        if (!program.Contains(AnswerAnchor)) throw new BuildFailure($"samples/HelloSwarm/Program.cs no longer contains '{AnswerAnchor}'.");
        File.WriteAllText(Path.Combine(Directory, "Program.cs"), program);
        var project = File.ReadAllText(Path.Combine(sample, "HelloSwarm.csproj"));
        if (!futuswarmSdk)
        {
            File.WriteAllText(ProjectFile, Plain(project));
            return;
        }
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

    /// <summary>The sample's project without the Futuswarm SDK: its &lt;Sdk&gt; line, comments naming it and the Swarm* settings go.</summary>
    static string Plain(string project)
    {
        var lines = project.Split('\n');
        if (!lines.Any(l => l.Contains("<Sdk Name=\"Futuswarm.Sdk\"", StringComparison.Ordinal)))
            throw new BuildFailure("samples/HelloSwarm/HelloSwarm.csproj no longer has a '<Sdk Name=\"Futuswarm.Sdk\"' line.");
        var kept = lines.Where(l => !l.Contains("Futuswarm", StringComparison.Ordinal) && !l.TrimStart().StartsWith("<Swarm", StringComparison.Ordinal));
        var plain = string.Join('\n', kept);
        if (plain.Contains("<Swarm", StringComparison.Ordinal) || plain.Contains("<Sdk ", StringComparison.Ordinal))
            throw new BuildFailure("samples/HelloSwarm/HelloSwarm.csproj has Futuswarm settings over several lines; the benchmark's plain copy cannot drop them.");
        return plain;
    }
}
