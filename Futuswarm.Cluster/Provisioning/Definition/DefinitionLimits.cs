namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>The defaults and bounds of the definition, in one place so the rules, the docs and the tests agree.</summary>
public static class DefinitionLimits
{
    /// <summary>
    /// Keeps every derived AWS name inside its limit: ELBv2 names take 32 characters and "futuswarm-" uses 10;
    /// the state bucket "futuswarm-&lt;name&gt;-state-&lt;12-digit account&gt;" must stay within S3's 63.
    /// </summary>
    public const int MaxNameLength = 20;

    /// <summary>
    /// A service answers at &lt;service&gt;.&lt;baseDomain&gt;, and a DNS name has at most 253 characters:
    /// 253 - 40 (the longest service name) - 1 (the dot).
    /// </summary>
    public const int MaxBaseDomainLength = 253 - Futuswarm.Protocol.Validation.MaxServiceNameLength - 1;

    public const int DefaultApiPort = 2222;
    /// <summary>Ports the cluster already uses: host sshd, the edge (80, 443), Docker's sockets, the swarm's own, PostgreSQL.</summary>
    public static readonly IReadOnlySet<int> PortsTakenOnNodes = new SortedSet<int> { 22, 80, 443, 2375, 2376, 2377, 4789, 5432, 7946 };

    /// <summary>The ALB and the RDS subnet group both need subnets in at least two zones.</summary>
    public const int DefaultAvailabilityZones = 2;
    public const int MinAvailabilityZones = 2;
    /// <summary>The most any AWS region has today (us-east-1).</summary>
    public const int MaxAvailabilityZones = 6;

    /// <summary>Private, and not 172.31.0.0/16 (every account's default VPC), so peering with it stays possible.</summary>
    public const string DefaultVpcCidr = "10.42.0.0/16";
    /// <summary>The network layer gives each zone a sixteenth of the VPC: /24 still leaves /28 subnets.</summary>
    public const int MinVpcPrefix = 16;
    public const int MaxVpcPrefix = 24;

    public const string DefaultManagerInstanceType = "t3.medium";
    public const int DefaultManagerDiskGb = 30;
    public const string DefaultWorkerInstanceType = "t3.large";
    public const int DefaultWorkerDiskGb = 50;
    /// <summary>Below this the OS, Docker and a few image versions do not fit.</summary>
    public const int MinDiskGb = 20;
    /// <summary>gp3's largest volume.</summary>
    public const int MaxDiskGb = 16384;
    /// <summary>Not an AWS limit: a guard against a typo (200 for 20) launching a fleet.</summary>
    public const int MaxWorkers = 100;

    public const string DefaultDatabaseEngine = "postgres";
    public const string DefaultDatabaseEngineVersion = "16";
    /// <summary>Older majors are past the PostgreSQL project's end of life.</summary>
    public const int MinDatabaseMajorVersion = 13;
    public const string DefaultDatabaseInstanceClass = "db.t4g.micro";
    /// <summary>RDS's bounds for gp storage.</summary>
    public const int MinAllocatedStorageGb = 20;
    public const int MaxAllocatedStorageGb = 65536;
    public const int DefaultAllocatedStorageGb = 20;
    /// <summary>RDS's bounds; 0 (no automated backups) is refused on purpose.</summary>
    public const int MinBackupRetentionDays = 1;
    public const int MaxBackupRetentionDays = 35;
    public const int DefaultBackupRetentionDays = 7;

    public const string DefaultRegistryServer = "docker.io";

    /// <summary>EC2 tag limits, since labels are also written as instance tags.</summary>
    public const int MaxLabelKeyLength = 128;
    public const int MaxLabelValueLength = 256;
}
