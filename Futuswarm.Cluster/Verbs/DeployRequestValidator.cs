using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Verbs;

/// <summary>Authoritative checks of a deploy request; the first failure is reported with what to change.</summary>
public static class DeployRequestValidator
{
    public static void Validate(DeployRequest r)
    {
        CheckServiceName(r.Service);
        if (r.Image is not null && Validation.CheckImageReference(r.Image) is { } image)
            throw new FswException(ErrorCodes.InvalidImage, $"Image '{r.Image}' is not valid: {image}.");
        if (string.IsNullOrWhiteSpace(r.ContentKey) || r.ContentKey.Length > 200)
            throw new FswException(ErrorCodes.MalformedRequest, "The request's contentKey must be a non-empty string of at most 200 characters.");
        if (Validation.CheckDeployTimeout(r.TimeoutSeconds) is { } timeout)
            throw new FswException(ErrorCodes.InvalidDeployTimeout, $"SwarmDeployTimeout {r.TimeoutSeconds} is not valid: {timeout}.");
        var s = r.Spec;
        if (Validation.CheckReplicas(s.Replicas) is { } replicas)
            throw new FswException(ErrorCodes.InvalidReplicas, $"SwarmReplicas {s.Replicas} is not valid: {replicas}.");
        if (Validation.CheckPort(s.Port) is { } port)
            throw new FswException(ErrorCodes.InvalidPort, $"SwarmPort {s.Port} is not valid: {port}.");
        if (Validation.CheckHealthCheckPath(s.HealthCheckPath) is { } health)
            throw new FswException(ErrorCodes.InvalidHealthCheckPath, $"SwarmHealthCheckPath '{s.HealthCheckPath}' is not valid: {health}.");
        foreach (var (name, value) in s.Environment)
            if (Validation.CheckEnvironmentVariable(name, value) is { } env)
                throw new FswException(ErrorCodes.InvalidEnvironmentVariable, $"SwarmEnvironmentVariable is not valid: {env}.");
        if (s.Access != "public")
            throw new FswException(ErrorCodes.AccessNotSupported, $"SwarmAccess '{s.Access}' is not yet supported; only 'public' is. Remove SwarmAccess or set it to public.");
        if (s.Database is not null and not "postgres")
            throw new FswException(ErrorCodes.InvalidDatabase, $"SwarmDatabase '{s.Database}' is not offered; set it to postgres or remove it.");
        if (s.Database is not null && r.Secrets.FirstOrDefault(x => Databases.ConnectionStrings.IsReserved(x.Name)) is { } taken)
            throw new FswException(ErrorCodes.InvalidSecretName, $"SwarmSecret '{taken.Name}' is set by the cluster from the service's database; rename the secret or remove SwarmDatabase.");
        if (s.Domains.Count > 0)
            throw new FswException(ErrorCodes.CustomDomainsNotSupported, $"Custom domains ({string.Join(", ", s.Domains)}) are not yet supported; the service answers at <service>.<base domain>. Remove the SwarmDomain items.");
    }

    public static void CheckServiceName(string service)
    {
        if (service.StartsWith(Validation.ReservedPrefix, StringComparison.Ordinal))
            throw new FswException(ErrorCodes.ReservedServiceName, $"Service name '{service}' is reserved for the cluster's own services. Set SwarmServiceName to another name.");
        if (Validation.CheckServiceName(service) is { } reason)
            throw new FswException(ErrorCodes.InvalidServiceName, $"Service name '{service}' is not valid: {reason}. Set SwarmServiceName to a valid name.");
    }
}
