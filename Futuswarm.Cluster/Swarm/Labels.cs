namespace Futuswarm.Cluster.Swarm;

/// <summary>Labels the daemon puts on what it creates, so it can tell its own services from others.</summary>
public static class Labels
{
    public const string Managed = "futuswarm.managed";
    public const string Release = "futuswarm.release";
    public const string ContentKey = "futuswarm.content-key";
    public const string SpecHash = "futuswarm.spec-hash";
    public const string Core = "futuswarm.core";
    /// <summary>On Docker secrets: which service, secret name and version they hold.</summary>
    public const string Service = "futuswarm.service";
    public const string Secret = "futuswarm.secret";
    public const string SecretVersion = "futuswarm.secret-version";
    /// <summary>On containers: a hash of what makes a task (not the replica count), to tell new tasks from old.</summary>
    public const string TemplateHash = "futuswarm.template-hash";
}
