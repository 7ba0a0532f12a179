using System.Text;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Compute;

public sealed partial class InstanceKind
{
    /// <summary>EC2's limit on user data, before base64.</summary>
    public const int MaxUserDataBytes = 16 * 1024;

    protected override async Task<string> CreateAsync(Change change, ProvisionContext ctx, CancellationToken ct)
    {
        // As planned: a manager-1 beside running managers joins one of them (the plan just before observed them).
        var node = LaunchAs(_nodes[change.Address]);
        var image = _images.GetValueOrDefault(node.Group.InstanceType)
            ?? throw new InvalidOperationException($"{change.Address}: no image resolved; CreateAsync must follow a plan of this kind");
        var text = UserDataOf(node);
        if (node.PrivateIp is { } ip) await UntilAddressFreeAsync(node, ip, ctx, ct);
        var launch = new InstanceLaunch(
            image.ImageId, node.Group.InstanceType, ctx.RequireId(NetworkAddresses.Subnet(node.Zone)),
            GroupsOf(node).Select(ctx.RequireId).ToList(), ProfileOf(node), spec.Names.KeyPair, text, MetadataOptions.Required,
            // The account's default EBS key (aws/ebs): usable by EC2 without a grant in the cluster key's policy.
            new RootVolume(image.RootDeviceName, node.Group.DiskGb, VolumeType, Encrypted: true, DeleteOnTermination: true),
            AssociatePublicIpAddress: true, TagsFor(node, ctx), ClientToken: "", PrivateIpAddress: node.PrivateIp);
        // A token per attempt: the SDK resends the same request (and token) after a timeout or a 5xx, and EC2 answers
        // the instance that request made, never a second one. An attempt EC2 refused made nothing, so the next gets a
        // fresh token. A later run finds an instance by its tags; a fixed token would answer a terminated one forever.
        InstanceInfo instance;
        try
        {
            instance = await Retry.OnEventualConsistencyAsync(
                c => ec2.RunInstanceAsync(launch with { ClientToken = $"{node.Address.Name}-{Guid.NewGuid():N}" }, c), JustCreated, ctx.Waits, ct);
        }
        catch (CloudException e) when (e.Code == "InvalidIPAddress.InUse" && node.PrivateIp is { } taken)
        {
            // No instance holds it (checked just before): another interface does, e.g. the load balancer's or the database's,
            // placed before the network reserved the address (a reservation made later does not move it).
            throw new FswException(ErrorCodes.InstanceLaunchFailed,
                $"{change.Address} must have the address {taken} (the other nodes join the swarm there), but a network interface "
                + $"that is not an instance holds it ({e.Detail}). Nothing was launched. Free the address (find it with aws ec2 "
                + $"describe-network-interfaces --filters Name=addresses.private-ip-address,Values={taken}) and run again.");
        }
        ctx.Created(change.Address, instance.InstanceId, $"{node.Group.InstanceType} in {node.Zone} from {image.ImageId}");
        await UntilRunningAsync(change.Address, instance.InstanceId, ctx, ct);
        return instance.InstanceId;
    }

    /// <summary>The node's user data, checked against EC2's limit (FSW6043): at plan time and again at launch.</summary>
    private string UserDataOf(ComputeNode node)
    {
        var text = userData.For(node);
        var size = Encoding.UTF8.GetByteCount(text);
        return size <= MaxUserDataBytes ? text
            : throw new FswException(ErrorCodes.UserDataTooLarge,
                $"The user data of {node.Address} is {size} bytes, over EC2's limit of {MaxUserDataBytes}. Nothing was launched.");
    }

    /// <summary>
    /// A fixed address is held until the instance that had it is terminated: after a manager-1 was terminated (by hand,
    /// or replaced) the new one waits for it. A live instance at the address (not the node's: that one was observed) is
    /// refused, as its address cannot be taken away from it.
    /// </summary>
    private async Task UntilAddressFreeAsync(ComputeNode node, string ip, ProvisionContext ctx, CancellationToken ct)
    {
        var holders = (await ec2.DescribeInstancesAsync(
            [Ec2Filter.Of("private-ip-address", ip), Ec2Filter.Of("subnet-id", ctx.RequireId(NetworkAddresses.Subnet(node.Zone)))], ct))
            .Where(i => i.State != "terminated").ToList();
        if (holders.FirstOrDefault(i => i.State != "shutting-down") is { } live)
            throw new FswException(ErrorCodes.InstanceLaunchFailed,
                $"{node.Address} must have the address {ip} (the other nodes join the swarm there), but instance {live.InstanceId} "
                + $"({live.Tags.GetValueOrDefault(ClusterTags.Role) ?? "not the cluster's"}, {live.State}) holds it. Nothing was launched. "
                + "Terminate that instance and run again.");
        foreach (var going in holders)
            await Waiter.UntilAsync($"{going.InstanceId} to be terminated and release {ip}", c => DescribeGoingAsync(going.InstanceId, c),
                i => i.State == "terminated", ctx.Waits, ct, ctx.Log);
    }

    protected override async Task UpdateAsync(Change change, ObservedInstance observed, ProvisionContext ctx, CancellationToken ct)
    {
        var id = observed.Instance.InstanceId;
        var node = _nodes[change.Address];
        // Options and groups first, so a stopped node boots with them.
        if (change.Fields.Any(f => f.Field == "metadata"))
            await ec2.ModifyInstanceMetadataOptionsAsync(id, MetadataOptions.Required, ct);
        if (change.Fields.Any(f => f.Field == "security_groups"))
            await ec2.ModifyInstanceSecurityGroupsAsync(id, GroupsOf(node).Select(ctx.RequireId).ToList(), ct);
        var tagFields = change.Fields.Where(f => f.Field.StartsWith(TagDiff.Prefix, StringComparison.Ordinal)).ToList();
        if (tagFields.Any(f => f.To is not null)) await ec2.CreateTagsAsync(id, TagsFor(node, ctx), ct);
        if (tagFields.Where(f => f.To is null).Select(f => f.Field[TagDiff.Prefix.Length..]).ToList() is { Count: > 0 } stale)
            await ec2.DeleteTagsAsync(id, stale, ct);
        if (change.Fields.Any(f => f.Field == "state"))
        {
            // EC2 refuses to start an instance that is still stopping.
            if (observed.Instance.State == "stopping")
                await Waiter.UntilAsync($"{change.Address} {id} to be stopped", c => DescribeAsync(id, c),
                    i => i.State is "stopped" or "terminated", ctx.Waits, ct, ctx.Log);
            await ec2.StartInstanceAsync(id, ct);
            await UntilRunningAsync(change.Address, id, ctx, ct);
        }
    }

    protected override async Task DeleteAsync(ObservedInstance observed, ProvisionContext ctx, CancellationToken ct)
    {
        var id = observed.Instance.InstanceId;
        await ec2.TerminateInstanceAsync(id, ct);
        // Until terminated its network interface holds the subnet and its groups, which a destroy deletes next.
        await Waiter.UntilAsync($"instance {id} to be terminated", c => DescribeGoingAsync(id, c), i => i.State == "terminated", ctx.Waits, ct, ctx.Log);
    }

    private async Task UntilRunningAsync(ResourceAddress address, string id, ProvisionContext ctx, CancellationToken ct)
    {
        var running = await Waiter.UntilAsync($"{address} {id} to be running", c => DescribeAsync(id, c), i => i.State switch
        {
            "running" => true,
            "shutting-down" or "terminated" => throw new FswException(ErrorCodes.InstanceLaunchFailed,
                $"{address} {id} went {i.State} instead of running: {i.StateReason ?? "EC2 gave no reason"}. Fix the cause and run again: a new instance is launched."),
            _ => false,
        }, ctx.Waits, ct, ctx.Log);
        ctx.Log($"{address} {id} running, public {running.PublicIp ?? "-"}, private {running.PrivateIp ?? "-"}");
    }

    /// <summary>The instance by id, or null while EC2 does not list it yet (just launched: pending, not gone).</summary>
    private async Task<InstanceInfo?> DescribeAsync(string id, CancellationToken ct) =>
        (await ec2.DescribeInstancesAsync([Ec2Filter.Of("instance-id", id)], ct)).SingleOrDefault();

    /// <summary>For a terminating instance: one no longer listed is terminated (EC2 lists terminated ones for about an hour).</summary>
    private async Task<InstanceInfo?> DescribeGoingAsync(string id, CancellationToken ct) =>
        await DescribeAsync(id, ct)
        ?? new InstanceInfo(id, "terminated", "", "", null, null, [], null, null, MetadataOptions.Required, null, null, null, null, "no longer listed",
            new Dictionary<string, string>());

    /// <summary>
    /// A launch naming what this run just created: a subnet or group not yet visible (<c>*.NotFound</c>), or an instance
    /// profile IAM has not yet propagated to EC2 (InvalidParameterValue on iamInstanceProfile).
    /// </summary>
    private static bool JustCreated(CloudException e) =>
        e.IsNotFound || (e.Code == "InvalidParameterValue" && e.Detail.Contains("iamInstanceProfile", StringComparison.OrdinalIgnoreCase));
}
