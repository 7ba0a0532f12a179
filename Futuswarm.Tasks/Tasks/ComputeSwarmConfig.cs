using Futuswarm.Protocol;
using Futuswarm.Tasks.Databases;
using Futuswarm.Tasks.Profiles;
using Futuswarm.Tasks.Secrets;
using Futuswarm.Tasks.Transport;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>
/// The point of no return before anything leaves the machine: resolves the cluster profile, fills defaults,
/// and validates every Swarm* property with a coded error that names the property to change.
/// </summary>
public sealed class ComputeSwarmConfig : FswTask
{
    [Required] public string ProjectName { get; set; } = "";
    [Required] public string IntermediateDirectory { get; set; } = "";
    public string Cluster { get; set; } = "";
    public string ProfilesDirectory { get; set; } = "";
    public string Manager { get; set; } = "";
    public string HostKey { get; set; } = "";
    public string User { get; set; } = "";
    public string IdentityFile { get; set; } = "";
    public string Registry { get; set; } = "";
    public string ServiceName { get; set; } = "";
    public string Port { get; set; } = "";
    public ITaskItem[] ContainerPorts { get; set; } = [];
    public string Replicas { get; set; } = "";
    public string HealthCheckPath { get; set; } = "";
    public string DeployTimeout { get; set; } = "";
    public string Access { get; set; } = "";
    public ITaskItem[] Domains { get; set; } = [];
    public ITaskItem[] EnvironmentVariables { get; set; } = [];
    /// <summary>The SwarmSecret items, checked here (names, one source each, no duplicates) so a deploy fails before Publish.</summary>
    public ITaskItem[] Secrets { get; set; } = [];
    /// <summary>SwarmDatabase: empty for none, or "postgres" (any case).</summary>
    public string Database { get; set; } = "";

    [Output] public string ResolvedManager { get; private set; } = "";
    [Output] public string ResolvedUser { get; private set; } = "";
    [Output] public string KnownHostsFile { get; private set; } = "";
    [Output] public string HostKeyAlias { get; private set; } = "";
    [Output] public string ResolvedIdentityFile { get; private set; } = "";
    [Output] public string ResolvedRegistry { get; private set; } = "";
    [Output] public string Repository { get; private set; } = "";
    [Output] public string BaseImage { get; private set; } = "";
    [Output] public string ResolvedServiceName { get; private set; } = "";
    [Output] public string ResolvedPort { get; private set; } = "";
    [Output] public string ResolvedReplicas { get; private set; } = "";
    [Output] public string ResolvedHealthCheckPath { get; private set; } = "";
    [Output] public string ResolvedDeployTimeout { get; private set; } = "";
    /// <summary>"postgres", or empty when the service has no database.</summary>
    [Output] public string ResolvedDatabase { get; private set; } = "";

    public const int DefaultDeployTimeoutSeconds = 300;

    protected override System.Threading.Tasks.Task ExecuteAsync()
    {
        ResolveCluster();
        ResolveSettings();
        return System.Threading.Tasks.Task.CompletedTask;
    }

    private void ResolveCluster()
    {
        var directory = string.IsNullOrEmpty(ProfilesDirectory) ? ClusterProfile.DefaultDirectory() : ProfilesDirectory;
        ClusterProfile? profile = null;
        if (!string.IsNullOrEmpty(Cluster)) profile = ClusterProfile.Load(directory, Cluster);
        else if (string.IsNullOrEmpty(Manager))
        {
            var found = ClusterProfile.List(directory);
            throw new FswException(ErrorCodes.NoClusterSelected,
                $"No cluster selected. Set SwarmCluster to a profile ({(found.Count == 0 ? $"none found in {directory}; run ./build.sh LocalCluster or get one from your ops" : "found: " + string.Join(", ", found))}), e.g. -p:SwarmCluster={found.FirstOrDefault() ?? "local"}, or set SwarmManager and SwarmHostKey.");
        }

        ResolvedManager = Or(Manager, profile?.Manager);
        ResolvedUser = Or(User, profile?.User, "futuswarm");
        ResolvedIdentityFile = Or(IdentityFile, profile?.IdentityFile);
        ResolvedRegistry = Or(Registry, profile?.Registry, "docker.io");
        Repository = (profile?.RepositoryPrefix ?? "");
        BaseImage = profile?.BaseImage ?? "";

        if (!string.IsNullOrEmpty(HostKey))
        {
            // An explicit key is pinned in a known_hosts file of this project's own.
            HostKeyAlias = "futuswarm-" + ManagerEndpoint.ParseAddress(ResolvedManager).Host;
            Directory.CreateDirectory(IntermediateDirectory);
            KnownHostsFile = Path.GetFullPath(Path.Combine(IntermediateDirectory, "futuswarm.known_hosts"));
            File.WriteAllText(KnownHostsFile, $"{HostKeyAlias} {HostKey.Trim()}\n");
        }
        else if (profile is not null)
        {
            HostKeyAlias = profile.HostKeyAlias;
            KnownHostsFile = profile.KnownHostsFile;
        }
        else
        {
            throw new FswException(ErrorCodes.HostKeyUnknown,
                $"SwarmManager is set to '{Manager}' but no host key is pinned for it. Set SwarmHostKey to the manager's API host key (ssh-ed25519 AAAA...), or use a cluster profile (SwarmCluster).");
        }
    }

    private void ResolveSettings()
    {
        var service = string.IsNullOrEmpty(ServiceName) ? Validation.ToServiceName(ProjectName) : ServiceName;
        if (service.StartsWith(Validation.ReservedPrefix, StringComparison.Ordinal))
            throw new FswException(ErrorCodes.ReservedServiceName, $"SwarmServiceName '{service}' is reserved for the cluster's own services. Set SwarmServiceName to another name.");
        if (Validation.CheckServiceName(service) is { } nameError)
            throw new FswException(ErrorCodes.InvalidServiceName, $"SwarmServiceName '{service}' is not valid: {nameError}. Set SwarmServiceName to a valid name.");
        ResolvedServiceName = service;
        Repository += service;

        if (string.Equals(Port, "none", StringComparison.OrdinalIgnoreCase)) ResolvedPort = "none";
        else
        {
            var portText = !string.IsNullOrEmpty(Port) ? Port : ContainerPorts.Select(p => p.ItemSpec.Split('/')[0]).FirstOrDefault() ?? "8080";
            var port = ParseInt(portText, "SwarmPort", ErrorCodes.InvalidPort, "it must be a number between 1 and 65535, or 'none'");
            if (Validation.CheckPort(port) is { } portError)
                throw new FswException(ErrorCodes.InvalidPort, $"SwarmPort '{portText}' is not valid: {portError}.");
            ResolvedPort = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var replicas = ParseInt(Or(Replicas, "1"), "SwarmReplicas", ErrorCodes.InvalidReplicas, "it must be a whole number");
        if (Validation.CheckReplicas(replicas) is { } replicasError)
            throw new FswException(ErrorCodes.InvalidReplicas, $"SwarmReplicas '{replicas}' is not valid: {replicasError}.");
        ResolvedReplicas = replicas.ToString(System.Globalization.CultureInfo.InvariantCulture);

        ResolvedHealthCheckPath = Or(HealthCheckPath, "/");
        if (Validation.CheckHealthCheckPath(ResolvedHealthCheckPath) is { } healthError)
            throw new FswException(ErrorCodes.InvalidHealthCheckPath, $"SwarmHealthCheckPath '{ResolvedHealthCheckPath}' is not valid: {healthError}.");

        var timeout = ParseInt(Or(DeployTimeout, DefaultDeployTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)), "SwarmDeployTimeout", ErrorCodes.InvalidDeployTimeout, "it must be a number of seconds");
        if (Validation.CheckDeployTimeout(timeout) is { } timeoutError)
            throw new FswException(ErrorCodes.InvalidDeployTimeout, $"SwarmDeployTimeout '{timeout}' is not valid: {timeoutError}.");
        ResolvedDeployTimeout = timeout.ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach (var item in EnvironmentVariables)
            if (Validation.CheckEnvironmentVariable(item.ItemSpec, item.GetMetadata("Value")) is { } envError)
                throw new FswException(ErrorCodes.InvalidEnvironmentVariable, $"SwarmEnvironmentVariable is not valid: {envError}.");
        if (EnvironmentVariables.GroupBy(i => i.ItemSpec, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new FswException(ErrorCodes.InvalidEnvironmentVariable,
                $"SwarmEnvironmentVariable '{duplicate.Key}' is given {duplicate.Count()} times (values may come from Directory.Build.props too). Keep one, or use Update= to change it.");

        // Only the declarations: whether a source is present matters to the task that reads it.
        var declared = SecretDeclaration.Parse(Secrets);

        ResolvedDatabase = DatabaseOption.Normalize(Database);
        DatabaseOption.CheckSecretNames(declared.Select(d => d.Name), ResolvedDatabase, "SwarmSecret");

        if (!string.IsNullOrEmpty(Access) && !string.Equals(Access, "public", StringComparison.OrdinalIgnoreCase))
            throw new FswException(ErrorCodes.AccessNotSupported, $"SwarmAccess '{Access}' is not yet supported; only 'public' is. Remove SwarmAccess or set it to public.");
        if (Domains.Length > 0)
            throw new FswException(ErrorCodes.CustomDomainsNotSupported,
                $"Custom domains ({string.Join(", ", Domains.Select(d => d.ItemSpec))}) are not yet supported; the service answers at <service>.<base domain>. Remove the SwarmDomain items.");
    }

    private static string Or(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";
}
