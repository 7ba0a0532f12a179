using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// Subnet CIDR reservations as EC2 documents them: listed per subnet, inside their subnet, never overlapping another
/// in the VPC (refused with EC2's InvalidParameterValue), made even over addresses in use, gone with their subnet.
/// Addresses EC2 picks itself (<see cref="PickAddress"/>) skip them.
/// </summary>
public sealed partial class FakeEc2Cloud
{
    private sealed record Reservation(string Id, string SubnetId, string Cidr, string Type, string Description, Dictionary<string, string> Tags);

    private readonly Dictionary<string, Reservation> _reservations = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<CidrReservationInfo>> GetSubnetCidrReservationsAsync(string subnetId, IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        Reading();
        RequireSubnet("GetSubnetCidrReservations", subnetId);
        IReadOnlyList<CidrReservationInfo> found = _reservations.Values
            .Where(r => r.SubnetId == subnetId && FakeEc2Filters.Match("GetSubnetCidrReservations", filters, r.Tags, new Dictionary<string, IEnumerable<string?>>
            {
                ["reservationType"] = [r.Type],
                ["subnet-id"] = [r.SubnetId],
            }))
            .Where(r => Visible(r.Id))
            .Select(View).ToList();
        return Task.FromResult(found);
    }

    public Task<CidrReservationInfo> CreateSubnetCidrReservationAsync(
        string subnetId, string cidr, string reservationType, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateSubnetCidrReservation", $"{subnetId} {cidr} {reservationType}");
        var subnet = RequireSubnet("CreateSubnetCidrReservation", subnetId);
        if (reservationType is not ("explicit" or "prefix"))
            throw Error("CreateSubnetCidrReservation", "InvalidParameterValue", $"Value ({reservationType}) for parameter reservationType is invalid");
        if (!Cidr.TryParse(cidr, out var range) || range.ToString() != cidr || !Cidr.TryParse(subnet.Cidr, out var subnetRange) || !subnetRange.Contains(range))
            throw Error("CreateSubnetCidrReservation", "InvalidParameterValue", $"Reservation CIDR {cidr} is not within the subnet's CIDR {subnet.Cidr}");
        if (_reservations.Values.Any(r => _subnets.GetValueOrDefault(r.SubnetId)?.VpcId == subnet.VpcId && Cidr.TryParse(r.Cidr, out var other) && Overlap(range, other)))
            throw Error("CreateSubnetCidrReservation", "InvalidParameterValue", $"Reservation CIDR {cidr} has overlap with existing reserved CIDR block");
        var reservation = new Reservation(NewId("scr"), subnetId, cidr, reservationType, description, Copy(tags));
        _reservations[reservation.Id] = reservation;
        return Task.FromResult(View(reservation));
    }

    public Task DeleteSubnetCidrReservationAsync(string reservationId, CancellationToken ct)
    {
        Mutating("DeleteSubnetCidrReservation", reservationId);
        // The code follows EC2's naming for an unknown id; the API reference does not list it.
        if (!_reservations.Remove(reservationId))
            throw Error("DeleteSubnetCidrReservation", "InvalidSubnetCidrReservationID.NotFound", $"The subnet CIDR reservation '{reservationId}' does not exist");
        return Task.CompletedTask;
    }

    /// <summary>Someone reserves a range by hand (not a call of the code under test), with the tags given or none.</summary>
    public string ReserveBehindTheBack(string subnetId, string cidr, string reservationType, IReadOnlyDictionary<string, string>? tags = null)
    {
        var reservation = new Reservation(NewId("scr"), subnetId, cidr, reservationType, "by hand", Copy(tags ?? new Dictionary<string, string>()));
        _reservations[reservation.Id] = reservation;
        return reservation.Id;
    }

    /// <summary>Someone deletes a reservation in the console.</summary>
    public void DeleteReservationBehindTheBack(string reservationId) => _reservations.Remove(reservationId);

    /// <summary>The description a reservation was made with (not a read).</summary>
    public string DescriptionOf(string reservationId) => _reservations[reservationId].Description;

    /// <summary>True when an address is in one of the subnet's reservations, which EC2 never picks by itself.</summary>
    private bool Reserved(string subnetId, string address) =>
        Cidr.TryParse(address + "/32", out var host)
        && _reservations.Values.Any(r => r.SubnetId == subnetId && Cidr.TryParse(r.Cidr, out var range) && range.Contains(host));

    private static CidrReservationInfo View(Reservation r) => new(r.Id, r.SubnetId, r.Cidr, r.Type, Snapshot(r.Tags));
}
