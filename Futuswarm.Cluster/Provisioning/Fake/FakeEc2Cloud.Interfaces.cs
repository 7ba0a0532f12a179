namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// Network interfaces that belong to no instance: the load balancer's and the database's, which AWS places in the
/// cluster's subnets at addresses EC2 picks. They hold their address against every launch, like an instance's.
/// </summary>
public sealed partial class FakeEc2Cloud
{
    private readonly List<(string SubnetId, string Address)> _interfaces = [];

    /// <summary>AWS places a load balancer's or database's interface in the subnet (not a call of the code under test);
    /// returns the address EC2 picked for it.</summary>
    public string PlaceInterfaceBehindTheBack(string subnetId)
    {
        var subnet = RequireSubnet("CreateNetworkInterface", subnetId);
        var address = PickAddress(subnet, Held(subnetId), "CreateNetworkInterface");
        _interfaces.Add((subnetId, address));
        return address;
    }
}
