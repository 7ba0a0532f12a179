namespace Futuswarm.IntegrationTests;

/// <summary>A copy of samples/HelloSwarm in a temporary folder, pointed at the freshly packed SDK, that a test may edit.</summary>
public sealed class AppProject : IDisposable
{
    public string Directory { get; }
    public string ServiceName { get; }
    public string ProjectFile => Path.Combine(Directory, "HelloSwarm.csproj");
    private string ProgramFile => Path.Combine(Directory, "Program.cs");

    public AppProject(string serviceName)
    {
        ServiceName = serviceName;
        Directory = Path.Combine(Path.GetTempPath(), "fsw-it", serviceName);
        System.IO.Directory.CreateDirectory(Directory);
        var sample = Path.Combine(TestCluster.RepoRoot, "samples", "HelloSwarm");
        foreach (var f in new[] { "HelloSwarm.csproj", "Program.cs", "appsettings.json" }) File.Copy(Path.Combine(sample, f), Path.Combine(Directory, f), overwrite: true);
        WriteSdkPointers(Directory);
        SetProperty("SwarmServiceName", serviceName);
    }

    /// <summary>global.json naming the packed SDK version and a NuGet.Config with the local feed, as a user's repo would have.</summary>
    public static void WriteSdkPointers(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "global.json"),
            $"{{ \"sdk\": {{ \"version\": \"10.0.100\", \"rollForward\": \"latestFeature\" }}, \"msbuild-sdks\": {{ \"Futuswarm.Sdk\": \"{TestCluster.SdkVersion}\" }} }}\n");
        File.WriteAllText(Path.Combine(directory, "NuGet.Config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><add key=\"futuswarm-local\" value=\"{TestCluster.PackagesDirectory}\" /></packageSources></configuration>\n");
    }

    /// <summary>Changes what "/" answers (a code change: the content key changes).</summary>
    public void SetAnswerSuffix(string suffix) => Replace(ProgramFile, "(served by {Environment.MachineName})", $"{suffix} (served by {{Environment.MachineName}})", once: true);

    /// <summary>The app's code as it is now, to go back to later (a revert).</summary>
    public string Program
    {
        get => File.ReadAllText(ProgramFile);
        set => File.WriteAllText(ProgramFile, value);
    }

    /// <summary>Makes the health endpoint fail, so new tasks never get healthy.</summary>
    public void BreakHealth() => Replace(ProgramFile, "app.MapGet(\"/health\", () => Results.Text(\"healthy\\n\"));",
        "app.MapGet(\"/health\", () => Results.StatusCode(500));", once: true);

    /// <summary>Changes the greeting (a property change: only the spec changes).</summary>
    public void SetGreeting(string greeting) =>
        File.WriteAllText(ProjectFile, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(ProjectFile),
            "<SwarmEnvironmentVariable Include=\"HELLO_GREETING\" Value=\"[^\"]*\" />", $"<SwarmEnvironmentVariable Include=\"HELLO_GREETING\" Value=\"{greeting}\" />"));

    /// <summary>Adds items to the project, e.g. <c>&lt;SwarmSecret Include="X" FromEnvironment="Y" /&gt;</c>.</summary>
    public void AddItems(string itemsXml) => Replace(ProjectFile, "</Project>", $"  <ItemGroup>\n    {itemsXml}\n  </ItemGroup>\n</Project>", once: true);

    public void SetProperty(string name, string value)
    {
        var text = File.ReadAllText(ProjectFile);
        var marker = "</SwarmHealthCheckPath>";
        var existing = System.Text.RegularExpressions.Regex.Match(text, $"<{name}>[^<]*</{name}>");
        text = existing.Success ? text.Replace(existing.Value, $"<{name}>{value}</{name}>") : text.Replace(marker, $"{marker}\n    <{name}>{value}</{name}>");
        File.WriteAllText(ProjectFile, text);
    }

    private static void Replace(string file, string from, string to, bool once)
    {
        var text = File.ReadAllText(file);
        if (!text.Contains(from)) throw new InvalidOperationException($"'{from}' not found in {file}");
        File.WriteAllText(file, once ? text.Replace(from, to) : text);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
