using System.Text.RegularExpressions;
using Futuswarm.Cluster.Access;
using static Futuswarm.Cluster.Provisioning.Definition.DefinitionLimits;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>
/// The rules for single values. Each returns null when the value is fine, otherwise what is wrong and what to
/// write instead; the binder adds the field path and the position.
/// </summary>
public static partial class DefinitionRules
{
    [GeneratedRegex("^[a-z]([a-z0-9-]*[a-z0-9])?\\z")]
    private static partial Regex DnsLabel();

    // Partition prefixes of two to four letters, optional middle words (gov, iso, sovereign "de"), a number.
    [GeneratedRegex("^[a-z]{2,4}(-[a-z]+)+-[1-9][0-9]?\\z")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?\\z")]
    private static partial Regex DomainLabel();

    [GeneratedRegex("^[a-z]([a-z0-9-]*[a-z0-9])?\\.[a-z0-9]+\\z")]
    private static partial Regex InstanceTypePattern();

    [GeneratedRegex("^db\\.[a-z0-9]+\\.[a-z0-9]+\\z")]
    private static partial Regex DbInstanceClassPattern();

    [GeneratedRegex("^(?<major>[1-9][0-9]*)(\\.[0-9]+)?\\z")]
    private static partial Regex EngineVersionPattern();

    // Docker's recommended label key form, which is also a valid EC2 tag key.
    [GeneratedRegex("^[a-z0-9]([a-z0-9._-]*[a-z0-9])?\\z")]
    private static partial Regex LabelKeyPattern();

    // The same rule as LocalCluster's --user, so a name is a valid ACL user everywhere.
    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}\\z")]
    private static partial Regex AdminNamePattern();

    [GeneratedRegex("^(?<host>[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:(?<port>[0-9]{1,5}))?\\z")]
    private static partial Regex RegistryServerPattern();

    public static string? CheckName(string name)
    {
        if (name.Length == 0) return "it is empty; give a short name such as \"prod\"";
        if (name.Length > MaxNameLength)
            return $"'{name}' has {name.Length} characters; at most {MaxNameLength}, so that every AWS name derived from it (load balancer, target group, state bucket) fits AWS's limits";
        if (!DnsLabel().IsMatch(name))
            return $"'{name}' is not a DNS label: lower-case letters, digits and '-', starting with a letter, not ending with '-'";
        if (name.Contains("--"))
            return $"'{name}' contains \"--\", which RDS identifiers refuse; use single hyphens";
        return null;
    }

    public static string? CheckRegion(string region)
    {
        if (RegionPattern().IsMatch(region)) return null;
        if (region.Length > 1 && char.IsAsciiLetterLower(region[^1]) && RegionPattern().IsMatch(region[..^1]))
            return $"'{region}' is an availability zone; the region is '{region[..^1]}'";
        return $"'{region}' is not an AWS region code such as \"eu-west-1\" or \"us-east-2\"";
    }

    public static string? CheckBaseDomain(string domain)
    {
        if (domain.StartsWith("*.", StringComparison.Ordinal))
            return $"give the domain without the wildcard ('{domain[2..]}'); the certificate for *.{domain[2..]} is derived";
        if (domain.Contains("://", StringComparison.Ordinal) || domain.Contains('/'))
            return $"'{domain}' is a URL; give the domain only, such as \"apps.example.com\"";
        if (domain != domain.ToLowerInvariant())
            return $"'{domain}' has upper-case letters; write it in lower case ('{domain.ToLowerInvariant()}')";
        if (domain.EndsWith('.')) return $"drop the trailing dot ('{domain.TrimEnd('.')}')";
        if (domain.Length > MaxBaseDomainLength)
            return $"'{domain}' has {domain.Length} characters; at most {MaxBaseDomainLength}, so that <service>.{domain} stays within DNS's 253";
        var labels = domain.Split('.');
        if (labels.Length < 2)
            return $"'{domain}' is a single label; give a domain you control such as \"apps.example.com\"";
        if (labels.Any(l => l.Length is 0 or > 63 || !DomainLabel().IsMatch(l)))
            return $"'{domain}' is not a DNS name: dot-separated labels of letters, digits and '-', each at most 63 characters";
        return null;
    }

    static readonly System.Net.IPNetwork[] PrivateRanges =
        [System.Net.IPNetwork.Parse("10.0.0.0/8"), System.Net.IPNetwork.Parse("172.16.0.0/12"), System.Net.IPNetwork.Parse("192.168.0.0/16")];

    public static string? CheckVpcCidr(string text)
    {
        if (CidrRule.TryParse(text, out var network) is { } reason) return reason;
        if (network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            return $"'{text}' is IPv6; the VPC's block is IPv4, such as \"{DefaultVpcCidr}\"";
        if (!PrivateRanges.Any(r => r.Contains(network.BaseAddress) && network.PrefixLength >= r.PrefixLength))
            return $"'{text}' is not private; use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
        if (network.PrefixLength is < MinVpcPrefix or > MaxVpcPrefix)
            return $"/{network.PrefixLength} is outside /{MinVpcPrefix} to /{MaxVpcPrefix} (AWS allows no larger VPC, and a smaller one leaves too few addresses per zone)";
        return null;
    }

    public static string? CheckInstanceType(string type) =>
        InstanceTypePattern().IsMatch(type) ? null
        : type.StartsWith("db.", StringComparison.Ordinal) ? $"'{type}' is an RDS class; nodes take an EC2 type such as \"t3.medium\""
        : $"'{type}' is not an EC2 instance type such as \"t3.medium\" or \"m7g.large\"";

    public static string? CheckLabelKey(string key)
    {
        if (key.Length > MaxLabelKeyLength) return $"the label key has {key.Length} characters; at most {MaxLabelKeyLength} (EC2's tag key limit)";
        if (!LabelKeyPattern().IsMatch(key))
            return $"'{key}' is not a label key: lower-case letters, digits, '.', '_' and '-', starting and ending with a letter or digit";
        foreach (var reserved in new[] { "com.docker.", "io.docker.", "org.dockerproject.", "futuswarm" })
            if (key.StartsWith(reserved, StringComparison.Ordinal))
                return $"keys starting with '{reserved}' are reserved ({(reserved == "futuswarm" ? "Futuswarm sets them itself" : "Docker's own")}); choose another key";
        return null;
    }

    public static string? CheckLabelValue(string value) =>
        value.Length > MaxLabelValueLength ? $"the value has {value.Length} characters; at most {MaxLabelValueLength} (EC2's tag value limit)" : null;

    public static string? CheckAdminName(string name) =>
        AdminNamePattern().IsMatch(name) ? null
        : $"'{name}' is not a user name: lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32 characters";

    public static string? CheckPublicKey(string key)
    {
        if (key.Contains("PRIVATE KEY", StringComparison.Ordinal))
            return "this is a PRIVATE key; remove it from the file now, and give the public key (the .pub file) instead";
        return SshKeys.Parse(key) is null
            ? "not an OpenSSH public key; give one line of a .pub file, such as \"ssh-ed25519 AAAA... alice@laptop\""
            : null;
    }

    public static string? CheckEngine(string engine) =>
        engine == DefaultDatabaseEngine ? null : $"'{engine}' is not supported; the only engine is \"{DefaultDatabaseEngine}\"";

    public static string? CheckEngineVersion(string version)
    {
        var m = EngineVersionPattern().Match(version);
        if (!m.Success) return $"'{version}' is not a PostgreSQL version such as \"16\" (the newest minor) or \"16.4\"";
        return int.TryParse(m.Groups["major"].Value, out var major) && major >= MinDatabaseMajorVersion ? null
            : $"PostgreSQL {version} is past its end of life; give {MinDatabaseMajorVersion} or later";
    }

    public static string? CheckInstanceClass(string instanceClass) =>
        DbInstanceClassPattern().IsMatch(instanceClass) ? null
        : InstanceTypePattern().IsMatch(instanceClass) ? $"'{instanceClass}' is an EC2 type; RDS classes start with \"db.\" (\"db.{instanceClass}\")"
        : $"'{instanceClass}' is not an RDS instance class such as \"db.t4g.micro\"";

    public static string? CheckRegistryServer(string server)
    {
        if (server.Contains("://", StringComparison.Ordinal))
            return $"give the registry's host only, without the scheme ('{server[(server.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/')}')";
        var m = RegistryServerPattern().Match(server);
        if (!m.Success) return $"'{server}' is not a registry host such as \"docker.io\", \"ghcr.io\" or \"registry.example.com:5000\"";
        if (m.Groups["port"].Success && int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture) is < 1 or > 65535)
            return $"'{server}' has a port outside 1-65535";
        return null;
    }

    /// <summary>A store secret name (the rule secrets already follow). Anything that looks like the credentials
    /// themselves is refused outright, because this file ends up in repositories.</summary>
    public static string? CheckPullCredentials(string reference)
    {
        if (reference.Contains(':') || reference.Contains(' ') || reference.StartsWith('{'))
            return "this looks like the credentials themselves; store them as a secret and give the secret's name here (the file must not hold credentials)";
        return Futuswarm.Protocol.Validation.CheckSecretName(reference) is { } reason ? $"not a secret name: {reason}" : null;
    }

    // [host[:port]/]path[:tag][@sha256:digest], Docker's reference grammar with lower-case path components.
    [GeneratedRegex("^((?<host>[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?)/)?(?<path>[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*)(:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@sha256:(?<digest>[0-9a-f]{64}))?\\z")]
    private static partial Regex ImageReferencePattern();

    /// <summary>
    /// The edge proxy's image: a reference with a tag or a digest. The daemon updates the edge service when this text
    /// changes, so a moving tag (latest) would never roll out a new edge; a digest pins it best.
    /// </summary>
    public static string? CheckEdgeImage(string image)
    {
        if (image.Contains("://", StringComparison.Ordinal))
            return $"give an image reference without a scheme, such as \"ghcr.io/example/futuswarm-edge:2.6.2\"";
        if (image.Length > 255) return "is longer than 255 characters, Docker's limit for a reference";
        var m = ImageReferencePattern().Match(image);
        if (!m.Success)
            // Not echoed: a malformed value may be credentials pasted by mistake (user:password@host/...).
            return "is not an image reference such as \"ghcr.io/example/futuswarm-edge:2.6.2\" (lower-case repository, a tag or an @sha256: digest; no credentials)";
        if (!m.Groups["tag"].Success && !m.Groups["digest"].Success)
            return $"'{image}' names no tag or digest; pin it (\"...:2.6.2\" or \"...@sha256:...\") so every manager runs the same edge";
        if (m.Groups["tag"].Value == "latest" && !m.Groups["digest"].Success)
            return $"'{image}' uses the moving tag 'latest': the edge is updated only when this text changes, so pin a version or a digest";
        return null;
    }

    public static string? CheckApiPort(int port)
    {
        if (port is < 1 or > 65535) return $"{port} is not a TCP port (1-65535)";
        if (PortsTakenOnNodes.Contains(port))
            return $"{port} is taken ({string.Join(", ", PortsTakenOnNodes)} are host SSH, the edge, Docker, the swarm and PostgreSQL); the default is {DefaultApiPort}";
        return null;
    }
}
