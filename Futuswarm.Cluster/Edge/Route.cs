namespace Futuswarm.Cluster.Edge;

/// <summary>One public host name served by one service's tasks.</summary>
public sealed record Route(string Service, string Host, int Port, string Access);
