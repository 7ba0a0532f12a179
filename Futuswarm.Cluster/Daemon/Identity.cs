namespace Futuswarm.Cluster.Daemon;

/// <summary>Who sent a request: the ACL user whose key authenticated the SSH session.</summary>
public sealed record Identity(string User, bool Admin, string KeyFingerprint);
