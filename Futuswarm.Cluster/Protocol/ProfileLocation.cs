namespace Futuswarm.Protocol;

/// <summary>Where cluster profiles live: ~/.futuswarm/clusters, or $FUTUSWARM_HOME/clusters. Written by LocalCluster, read by the SDK.</summary>
public static class ProfileLocation
{
    public static string DefaultDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable("FUTUSWARM_HOME");
        var home = string.IsNullOrEmpty(fromEnv) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".futuswarm") : fromEnv;
        return Path.Combine(home, "clusters");
    }
}
