namespace Futuswarm.Cluster.Provisioning.Network;

/// <summary>
/// manager-1's private IPv4 address, fixed so that every other node's user data can name it (the swarm's join address)
/// before any of them launches. The other nodes take the addresses EC2 picks. It lives with the network because the
/// network reserves it (<see cref="CidrReservationKind"/>) and the instances use it: one place computes it for both.
/// </summary>
public static class FixedAddress
{
    /// <summary>
    /// The subnet's host 10: AWS reserves the first four (network, router, DNS, future use) and the last; 10 leaves a
    /// margin and still fits the smallest subnet the layout makes (a /28 of a /24 VPC: hosts 4..14).
    /// </summary>
    public const int HostOffset = 10;

    /// <summary>manager-1's address: the fixed one in the first zone's subnet.</summary>
    public static string FirstManager(string vpcCidr, IReadOnlyList<string> zones) => In(SubnetLayout.CidrFor(vpcCidr, zones[0]));

    /// <summary>The fixed address in <paramref name="subnetCidr"/>.</summary>
    public static string In(string subnetCidr) =>
        Cidr.TryParse(subnetCidr, out var subnet) && subnet.Prefix <= 28
            ? Format(subnet.Network + HostOffset)
            : throw new ArgumentException($"'{subnetCidr}' is not an IPv4 subnet of /28 or larger", nameof(subnetCidr));

    /// <summary>True when <paramref name="address"/> is one EC2 lets an instance take in the subnet (not one of its five reserved).</summary>
    public static bool Assignable(string subnetCidr, string address)
    {
        if (!Cidr.TryParse(subnetCidr, out var subnet) || !Cidr.TryParse(address + "/32", out var host)) return false;
        var size = 1u << (32 - subnet.Prefix);
        var offset = host.Network - subnet.Network;
        return host.Network >= subnet.Network && offset >= 4 && offset < size - 1;
    }

    public static string Format(uint address) => $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";
}
