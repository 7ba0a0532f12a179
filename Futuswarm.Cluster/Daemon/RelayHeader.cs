namespace Futuswarm.Cluster.Daemon;

/// <summary>The first line the relay sends: the verb sshd was asked for and the key that authenticated.</summary>
public sealed record RelayHeader
{
    public required string Verb { get; init; }
    public required string Key { get; init; }
}
