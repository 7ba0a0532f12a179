using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>
/// Strict CIDR parsing for security group rules. IPNetwork.TryParse alone is too kind for a firewall: it
/// accepts "1.2.3/24" and silently drops host bits, so "10.0.0.1/8" would open far more than the author meant.
/// </summary>
public static partial class CidrRule
{
    [GeneratedRegex(@"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\z")]
    private static partial Regex DottedQuad();

    [GeneratedRegex(@"^(0|[1-9]\d{0,2})\z")]
    private static partial Regex PrefixLength();

    /// <summary>Null when <paramref name="text"/> is a network in canonical form; otherwise the reason and the fix.</summary>
    public static string? TryParse(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/');
        if (slash < 0)
            return IPAddress.TryParse(text, out var single)
                ? $"'{text}' has no prefix length; write {text}/{(single.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32)} for that one address"
                : $"'{text}' is not a CIDR block such as 203.0.113.0/24 or 2001:db8::/32";
        var address = text[..slash];
        var prefix = text[(slash + 1)..];
        var v6 = address.Contains(':');
        // A zone index (fe80::1%eth0) means nothing to a security group.
        if (address.Contains('%') || !(v6 ? IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 : DottedQuad().IsMatch(address) && IPAddress.TryParse(address, out ip))
            || !PrefixLength().IsMatch(prefix))
            return $"'{text}' is not a CIDR block such as 203.0.113.0/24 or 2001:db8::/32";
        var bits = int.Parse(prefix, System.Globalization.CultureInfo.InvariantCulture);
        if (bits > (v6 ? 128 : 32)) return $"'{text}' has a prefix longer than {(v6 ? 128 : 32)} bits";
        network = new IPNetwork(Masked(ip!, bits), bits);
        if (!network.BaseAddress.Equals(ip))
            return $"'{text}' has host bits set after /{bits}; write {network} (the network it stands for) or a longer prefix";
        return null;
    }

    /// <summary>A /0 lets in every address of its family.</summary>
    public static bool IsAnywhere(IPNetwork network) => network.PrefixLength == 0;

    static IPAddress Masked(IPAddress ip, int bits)
    {
        var bytes = ip.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
