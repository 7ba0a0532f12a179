using Amazon.EC2;
using Amazon.EC2.Model;

namespace Futuswarm.Cluster.Provisioning.Network;

public sealed partial class AwsEc2Network
{
    public async Task<IReadOnlyList<CidrReservationInfo>> GetSubnetCidrReservationsAsync(string subnetId, IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        var found = new List<CidrReservationInfo>();
        var request = new GetSubnetCidrReservationsRequest { SubnetId = subnetId, Filters = Filters(filters) };
        do
        {
            var response = await Call("GetSubnetCidrReservations", () => client.GetSubnetCidrReservationsAsync(request, ct));
            found.AddRange((response.SubnetIpv4CidrReservations ?? []).Concat(response.SubnetIpv6CidrReservations ?? []).Select(Map));
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return found;
    }

    public async Task<CidrReservationInfo> CreateSubnetCidrReservationAsync(
        string subnetId, string cidr, string reservationType, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var request = new CreateSubnetCidrReservationRequest
        {
            SubnetId = subnetId, Cidr = cidr, ReservationType = SubnetCidrReservationType.FindValue(reservationType), Description = description,
            TagSpecifications = TagSpecs(ResourceType.SubnetCidrReservation, tags),
        };
        return Map((await Call("CreateSubnetCidrReservation", () => client.CreateSubnetCidrReservationAsync(request, ct))).SubnetCidrReservation);
    }

    public Task DeleteSubnetCidrReservationAsync(string reservationId, CancellationToken ct) =>
        Call("DeleteSubnetCidrReservation", () => client.DeleteSubnetCidrReservationAsync(
            new DeleteSubnetCidrReservationRequest { SubnetCidrReservationId = reservationId }, ct));

    private static CidrReservationInfo Map(SubnetCidrReservation r) =>
        new(r.SubnetCidrReservationId, r.SubnetId, r.Cidr, r.ReservationType?.Value ?? "", Tags(r.Tags));
}
