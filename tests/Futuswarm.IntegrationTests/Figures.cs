namespace Futuswarm.IntegrationTests;

/// <summary>Figures the tests measure along the way (request counts, deploy times); ./build.sh Test prints them at the end.</summary>
public static class Figures
{
    public static string FilePath => Path.Combine(TestCluster.RepoRoot, "artifacts", "test-figures.txt");
    private static readonly Lock Gate = new();

    public static void Record(string line)
    {
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.AppendAllText(FilePath, $"{DateTime.UtcNow:HH:mm:ss} {line}\n");
        }
    }
}
