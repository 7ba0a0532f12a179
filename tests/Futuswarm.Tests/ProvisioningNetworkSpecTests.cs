using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Tests;

/// <summary>The network input's checks (FSW6025) and the subnet layout.</summary>
public class ProvisioningNetworkSpecTests
{
    private static readonly NetworkSpec Good = ProvisioningNetworkTests.Spec;

    [Fact]
    public void TheSampleIsValid() => Assert.Same(Good, Good.Validate());

    public static TheoryData<NetworkSpec, string> Bad() => new()
    {
        { Good with { Cluster = "Demo" }, "cluster" },
        { Good with { Region = "north" }, "region" },
        { Good with { VpcCidr = "8.8.0.0/16" }, "vpcCidr" },
        { Good with { VpcCidr = "10.0.0.0/8" }, "vpcCidr" },
        { Good with { VpcCidr = "10.0.0.0/25" }, "vpcCidr" },
        { Good with { VpcCidr = "10.0.0/16" }, "vpcCidr" },
        { Good with { Zones = ["eu-north-1a"] }, "zones" },
        { Good with { Zones = ["eu-north-1a", "eu-north-1a"] }, "zones" },
        { Good with { Zones = ["eu-north-1a", "eu-west-1b"] }, "zones" },
        { Good with { AdminCidrs = [] }, "adminCidrs" },
        { Good with { AdminCidrs = ["0.0.0.0/0"] }, "adminCidrs" },
        { Good with { AdminCidrs = ["203.0.113.7/24"] }, "adminCidrs" },
        { Good with { DeployerCidrs = ["example.com"] }, "deployerCidrs" },
        { Good with { ApiPort = 22 }, "apiPort" },
        { Good with { ApiPort = 70000 }, "apiPort" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void InvalidInputNamesItsField(NetworkSpec spec, string field)
    {
        var e = Assert.Throws<FswException>(() => spec.Validate());

        Assert.Equal(ErrorCodes.ProvisionSpecInvalid, e.Code);
        Assert.StartsWith($"The cluster's {field}:", e.Message);
    }

    [Fact]
    public void SshFromAnywhereOnlyWithTheOptIn()
    {
        var open = Good with { AdminCidrs = ["0.0.0.0/0"], AllowSshFromAnywhere = true };

        Assert.Same(open, open.Validate());
    }

    [Fact]
    public void HostBitsAreRefusedWithTheNetworkToWrite()
    {
        var e = Assert.Throws<FswException>(() => (Good with { DeployerCidrs = ["198.51.100.9/24"] }).Validate());

        Assert.Contains("write 198.51.100.0/24", e.Message);
    }

    [Theory]
    [InlineData("10.40.0.0/16", "eu-north-1a", "10.40.0.0/20")]
    [InlineData("10.40.0.0/16", "eu-north-1c", "10.40.32.0/20")]
    [InlineData("192.168.8.0/22", "eu-north-1b", "192.168.8.64/26")]
    [InlineData("172.16.0.0/24", "eu-north-1p", "172.16.0.240/28")]
    public void EachZoneLetterHasItsOwnBlock(string vpc, string zone, string subnet) =>
        Assert.Equal(subnet, SubnetLayout.CidrFor(Good with { VpcCidr = vpc, Zones = [zone, "eu-north-1b"] }, zone));

    [Fact]
    public void ReorderingZonesMovesNoSubnet()
    {
        var reordered = Good with { Zones = ["eu-north-1b", "eu-north-1a"] };

        Assert.Equal(SubnetLayout.CidrFor(Good, "eu-north-1b"), SubnetLayout.CidrFor(reordered, "eu-north-1b"));
    }
}
