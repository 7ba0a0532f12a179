using System.Net;
using System.Text.RegularExpressions;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// What the network needs from the cluster definition. The definition (Provisioning/Definition) fills it;
/// until then tests build it directly. <see cref="Validate"/> checks it with FSW6025, naming the field.
/// </summary>
/// <param name="Cluster">The cluster's name: the value of every resource's <c>futuswarm:cluster</c> tag.</param>
/// <param name="Region">The AWS region, e.g. <c>eu-north-1</c>.</param>
/// <param name="VpcCidr">A private IPv4 block from /16 to /24; each zone gets a sixteenth of it.</param>
/// <param name="Zones">Two or more zones of the region (<c>eu-north-1a</c>); each zone's letter fixes its subnet.</param>
/// <param name="AdminCidrs">Who may SSH (22) to the nodes; the whole internet only with <paramref name="AllowSshFromAnywhere"/>.</param>
/// <param name="DeployerCidrs">Who may reach the managers' API port (key-authenticated sshd).</param>
/// <param name="ApiPort">The API sshd's port on the managers.</param>
/// <param name="AllowSshFromAnywhere">The definition's explicit opt-in to 0.0.0.0/0 among the admin CIDRs.</param>
public sealed record NetworkSpec(
    string Cluster, string Region, string VpcCidr, IReadOnlyList<string> Zones,
    IReadOnlyList<string> AdminCidrs, IReadOnlyList<string> DeployerCidrs, int ApiPort, bool AllowSshFromAnywhere = false)
{
    /// <summary>Ports the cluster uses for itself, so the API port cannot be one of them.</summary>
    public static readonly IReadOnlySet<int> ReservedPorts = new HashSet<int> { 22, 80, 443, 2377, 4789, 5432, 7946 };

    private static readonly Regex ClusterName = new("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", RegexOptions.CultureInvariant);

    public NetworkSpec Validate()
    {
        if (!ClusterName.IsMatch(Cluster))
            Fail("cluster", $"'{Cluster}' must be 2-32 lowercase letters, digits and dashes, starting with a letter");
        if (!Regex.IsMatch(Region, "^[a-z]{2}(-[a-z]+)+-[0-9]$"))
            Fail("region", $"'{Region}' is not an AWS region name such as eu-north-1");
        if (!Cidr.TryParse(VpcCidr, out var vpc) || !vpc.IsPrivate || vpc.Prefix is < 16 or > 24)
            Fail("vpcCidr", $"'{VpcCidr}' must be a private IPv4 network (10/8, 172.16/12, 192.168/16) from /16 to /24");
        if (Zones.Count < 2 || Zones.Distinct().Count() != Zones.Count)
            Fail("zones", "give two or more distinct zones, so the load balancer and the database span zones");
        foreach (var zone in Zones)
            if (zone.Length != Region.Length + 1 || !zone.StartsWith(Region, StringComparison.Ordinal) || zone[^1] is < 'a' or > 'p')
                Fail("zones", $"'{zone}' is not a zone of {Region} (expected {Region}a, {Region}b, ...)");
        CheckCidrs("adminCidrs", AdminCidrs);
        if (AdminCidrs.Contains("0.0.0.0/0") && !AllowSshFromAnywhere)
            Fail("adminCidrs", "0.0.0.0/0 opens SSH to the whole internet; give the admins' own networks");
        CheckCidrs("deployerCidrs", DeployerCidrs);
        if (ApiPort is < 1 or > 65535 || ReservedPorts.Contains(ApiPort))
            Fail("apiPort", $"{ApiPort} must be 1-65535 and none of {string.Join(", ", ReservedPorts.Order())}");
        return this;
    }

    private static void CheckCidrs(string field, IReadOnlyList<string> cidrs)
    {
        if (cidrs.Count == 0) Fail(field, "give at least one IPv4 CIDR");
        foreach (var text in cidrs)
        {
            if (!Cidr.TryParse(text, out var cidr))
                Fail(field, $"'{text}' is not an IPv4 CIDR such as 203.0.113.0/24");
            else if (cidr.ToString() != text)
                Fail(field, $"'{text}' has host bits set; write {cidr} (AWS would store that, and every run would see drift)");
        }
    }

    private static void Fail(string field, string why) =>
        throw new FswException(ErrorCodes.ProvisionSpecInvalid, $"The cluster's {field}: {why}.");
}

/// <summary>An IPv4 network in CIDR notation, normalized (host bits zero).</summary>
public readonly record struct Cidr(uint Network, int Prefix)
{
    public static bool TryParse(string text, out Cidr cidr)
    {
        cidr = default;
        var slash = text.IndexOf('/');
        if (slash < 0 || !int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 0 or > 32) return false;
        if (!IPAddress.TryParse(text[..slash], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || text[..slash].Count(c => c == '.') != 3) return false;
        var b = ip.GetAddressBytes();
        var value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        cidr = new Cidr(value & Mask(prefix), prefix);
        return true;
    }

    private static uint Mask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    public bool IsPrivate =>
        Within(0x0A000000, 8) || Within(0xAC100000, 12) || Within(0xC0A80000, 16);

    /// <summary>True when <paramref name="other"/> lies wholly inside this network.</summary>
    public bool Contains(Cidr other) => other.Prefix >= Prefix && (other.Network & Mask(Prefix)) == Network;

    private bool Within(uint network, int prefix) => Prefix >= prefix && (Network & Mask(prefix)) == network;

    /// <summary>The <paramref name="index"/>-th block of <paramref name="prefix"/> inside this network.</summary>
    public Cidr Subnet(int prefix, int index) => new(Network + ((uint)index << (32 - prefix)), prefix);

    public override string ToString() =>
        $"{Network >> 24}.{(Network >> 16) & 255}.{(Network >> 8) & 255}.{Network & 255}/{Prefix}";
}
