using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>An instance with its root volume (null while DescribeVolumes does not show it).</summary>
public sealed record ObservedInstance(InstanceInfo Instance, VolumeInfo? Root);

/// <summary>
/// The cluster's nodes, one instance each: <c>instance[manager-i]</c> and <c>instance[worker-i]</c>. Observed by tags in
/// the states pending, running, stopping and stopped only: a terminated (or terminating) node is gone and is launched
/// again. In place: a stopped node is started, IMDS options, security groups and tags are put back. The instance type,
/// subnet, instance profile and root volume cannot change in place: a worker is replaced; a manager never is by a plain
/// apply, nor terminated (FSW6041, RepairCluster), since losing managers loses the swarm's raft quorum.
/// </summary>
public sealed partial class InstanceKind(IEc2Instances ec2, ISsmParameters ssm, ComputeSpec spec, INodeUserData userData)
    : ResourceKind<ObservedInstance>
{
    public const string VolumeType = "gp3";

    /// <summary>The states of a node that exists; shutting-down and terminated ones are not observed.</summary>
    public static readonly IReadOnlyList<string> LiveStates = ["pending", "running", "stopping", "stopped"];

    private readonly IReadOnlyDictionary<ResourceAddress, ComputeNode> _nodes = ComputeNode.All(spec).ToDictionary(n => n.Address);
    private IReadOnlyDictionary<string, NodeImage> _images = new Dictionary<string, NodeImage>();
    private bool _destroying;
    // The managers observed by the last plan, by address: where a relaunched manager-1 rejoins the swarm.
    private IReadOnlyDictionary<ResourceAddress, InstanceInfo> _managers = new Dictionary<ResourceAddress, InstanceInfo>();

    public override string Kind => ComputeNode.Kind;

    protected override IEnumerable<ResourceAddress> Desired(ProvisionContext ctx) => ComputeNode.All(spec).Select(n => n.Address);

    protected override string IdOf(ObservedInstance observed) => observed.Instance.InstanceId;
    protected override IReadOnlyDictionary<string, string> TagsOf(ObservedInstance observed) => observed.Instance.Tags;

    protected override async Task<IReadOnlyList<ObservedInstance>> ObserveAsync(ProvisionContext ctx, CancellationToken ct)
    {
        var instances = (await ec2.DescribeInstancesAsync([.. NetworkAddresses.Ours(ctx), new Ec2Filter("instance-state-name", LiveStates)], ct))
            .Where(i => LiveStates.Contains(i.State)).ToList();
        _managers = instances
            .Select(i => (Address: ResourceAddress.Parse(i.Tags.GetValueOrDefault(ClusterTags.Role)), Instance: i))
            .Where(m => m.Address is { } a && ComputeNode.IsManagerAddress(a))
            .GroupBy(m => m.Address!.Value).ToDictionary(g => g.Key, g => g.First().Instance);
        var volumeIds = instances.Select(i => i.RootVolumeId).OfType<string>().ToList();
        var volumes = volumeIds.Count == 0 ? [] : await ec2.DescribeVolumesAsync(volumeIds, ct);
        // The image only matters for a launch; destroy needs none (and must work when the type is no longer offered).
        if (!_destroying)
            _images = await NodeImages.ResolveAsync(ec2, ssm,
                ComputeNode.All(spec).Select(n => n.Group.InstanceType).Distinct().ToList(), ct);
        return instances.Select(i => new ObservedInstance(i, volumes.FirstOrDefault(v => v.VolumeId == i.RootVolumeId))).ToList();
    }

    public override async Task<IReadOnlyList<Change>> PlanDestroyAsync(ProvisionContext ctx, CancellationToken ct)
    {
        _destroying = true;
        try
        {
            return await base.PlanDestroyAsync(ctx, ct);
        }
        finally
        {
            _destroying = false;
        }
    }

    // manager-1 launched again beside managers that exist but none runs: it can join the swarm only through a running one.
    private const string NoManagerToRejoin = "gone and no other manager runs: it can only rejoin the swarm through a running manager";

    /// <summary>A plain apply never replaces or terminates a manager, nor launches manager-1 beside managers none of which runs.</summary>
    public override FswException? Refusal(Change change) =>
        change.Action == ChangeAction.Create && change.Reason == NoManagerToRejoin
            ? new FswException(ErrorCodes.ManagerChangeRefused,
                $"{change.Address} is {NoManagerToRejoin} ({string.Join("; ", change.Fields)}). Launched now it would start a second "
                + "swarm. Nothing was changed. Start one of the other managers (aws ec2 start-instances), wait until it runs, and run again.")
        : ComputeNode.IsManagerAddress(change.Address) && change.Action is ChangeAction.Replace or ChangeAction.Delete
            ? new FswException(ErrorCodes.ManagerChangeRefused,
                $"{change.Address} would have to be {(change.Action == ChangeAction.Replace ? "replaced" : "terminated")} ({change.Reason})"
                + (change.Fields.Count > 0 ? $": {string.Join("; ", change.Fields)}" : "")
                + ". A plain apply never replaces or terminates a manager: the swarm's raft could lose its quorum. Nothing was changed. "
                + "Put the old value back in the definition: replacing a live manager is not automated yet (docs/provisioning.md).")
            : base.Refusal(change);

    public override IReadOnlyList<Change> Diff(ResourceAddress address, ObservedInstance? observed, ProvisionContext ctx)
    {
        var node = _nodes[address];
        if (observed is not null) return Drift(node, observed, ctx);
        if (!node.IsFirstManager || !_managers.Keys.Any(a => a != address)) return [Launch(node, ctx)];
        // Other managers exist, so the swarm does: manager-1 comes back as a joining manager, never with swarm init.
        return LaunchAs(node) is { Rejoin: { } via } rejoining
            ? [Launch(rejoining, ctx, $"not found: rejoins the swarm via {via.Via}")]
            : [new Change(address, ChangeAction.Create, NoManagerToRejoin,
                _managers.Where(m => m.Key != address).OrderBy(m => m.Key.Name, StringComparer.Ordinal)
                    .Select(m => new FieldChange(m.Key.Name!, m.Value.State, "running")).ToList())];
    }

    /// <summary>
    /// The node as it is launched: a manager-1 missing beside other managers rejoins through the lowest-numbered one that
    /// runs and has a private address (quorum holds while most managers run). Without any, it stays as it is: the plan
    /// refuses that launch, and a cluster whose only manager was manager-1 starts a new swarm.
    /// </summary>
    private ComputeNode LaunchAs(ComputeNode node)
    {
        if (!node.IsFirstManager) return node;
        var via = _managers.Where(m => m.Key != node.Address && m.Value.State == "running" && m.Value.PrivateIp is not null)
            .OrderBy(m => m.Key.Name!.Length).ThenBy(m => m.Key.Name, StringComparer.Ordinal).ToList();
        return via.Count > 0 ? node with { Rejoin = new SwarmRejoin(via[0].Key.Name!, via[0].Value.PrivateIp!) } : node;
    }

    private Change Launch(ComputeNode node, ProvisionContext ctx, string reason = "not found")
    {
        // Rendered now so that user data the bootstrap refuses (FSW6045) or EC2 would (FSW6043) stops the plan, and an
        // apply's preview, before any call.
        _ = UserDataOf(node);
        var image = _images.GetValueOrDefault(node.Group.InstanceType);
        return new Change(node.Address, ChangeAction.Create, reason, [
            FieldChange.Set("instance_type", node.Group.InstanceType),
            FieldChange.Set("image", image?.ToString() ?? ProvisionContext.KnownAfterApply),
            FieldChange.Set("subnet", NetworkAddresses.Subnet(node.Zone).ToString()),
            FieldChange.Set("security_groups", string.Join(", ", GroupsOf(node))),
            FieldChange.Set("instance_profile", ProfileOf(node)),
            FieldChange.Set("key_pair", spec.Names.KeyPair),
            FieldChange.Set("metadata", MetadataOptions.Required.ToString()),
            FieldChange.Set("root_volume", $"{node.Group.DiskGb} GB {VolumeType} encrypted, deleted with the instance"),
            // Public subnets and no NAT gateway: a node reaches registries and AWS APIs through its own public address.
            FieldChange.Set("public_ip", "true"),
            // manager-1 only: the address the other nodes' user data names to join the swarm.
            .. node.PrivateIp is { } ip ? [FieldChange.Set("private_ip", ip)] : Array.Empty<FieldChange>(),
            .. node.Rejoin is { } r ? [FieldChange.Set("swarm", $"joins as a manager via {r.Via} ({r.PrivateIp}:{ClusterNodeUserData.SwarmPort})")] : Array.Empty<FieldChange>(),
            .. node.Group.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => FieldChange.Set("label " + l.Key, l.Value)),
        ]);
    }

    private IReadOnlyList<Change> Drift(ComputeNode node, ObservedInstance observed, ProvisionContext ctx)
    {
        var i = observed.Instance;
        // A newer Debian AMI is not drift: nodes are not rebuilt for it (they take security updates in place; a
        // replaced or added node boots the newest). Nor are the key pair and user data: both are read at launch only.
        var fixedFields = new List<FieldChange>();
        if (i.InstanceType != node.Group.InstanceType) fixedFields.Add(new FieldChange("instance_type", i.InstanceType, node.Group.InstanceType));
        var subnet = NetworkAddresses.Subnet(node.Zone);
        // Compared by address when this run observed the network: the instance's subnet is one of ours, or the wanted
        // one exists. A wanted subnet still to be created (a zone added) is a move too. Without the network in the
        // context there is nothing to compare with, and nothing is assumed.
        var inSubnet = i.SubnetId is null ? null : ctx.AddressOf(i.SubnetId);
        if (inSubnet is { } at ? at != subnet : ctx.IdOf(subnet) is { } subnetId && i.SubnetId != subnetId)
            fixedFields.Add(new FieldChange("subnet", Named(i.SubnetId, ctx), subnet.ToString()));
        // An interface's primary address never changes: manager-1 elsewhere than its fixed address (launched before the
        // address was fixed, or by hand) cannot be moved, and the joiners' user data names the fixed one.
        if (node.PrivateIp is { } ip && i.PrivateIp is { } observedIp && observedIp != ip) fixedFields.Add(new FieldChange("private_ip", observedIp, ip));
                if (i.InstanceProfileName != ProfileOf(node)) fixedFields.Add(new FieldChange("instance_profile", i.InstanceProfileName, ProfileOf(node)));
        if (observed.Root is { } root)
        {
            if (root.SizeGb != node.Group.DiskGb) fixedFields.Add(new FieldChange("root_volume_gb", $"{root.SizeGb}", $"{node.Group.DiskGb}"));
            if (root.VolumeType != VolumeType) fixedFields.Add(new FieldChange("root_volume_type", root.VolumeType, VolumeType));
            if (!root.Encrypted) fixedFields.Add(new FieldChange("root_volume_encrypted", "false", "true"));
        }
        if (fixedFields.Count > 0)
            return [new Change(node.Address, ChangeAction.Replace, "instance type, subnet, private address, instance profile and root volume cannot change in place", fixedFields)];

        var fields = new List<FieldChange>();
        if (i.State is "stopped" or "stopping") fields.Add(new FieldChange("state", i.State, "running"));
        if (i.Metadata != MetadataOptions.Required) fields.Add(new FieldChange("metadata", i.Metadata.ToString(), MetadataOptions.Required.ToString()));
        if (GroupIds(node, ctx) is { } wanted && !wanted.Order(StringComparer.Ordinal).SequenceEqual(i.SecurityGroupIds.Order(StringComparer.Ordinal)))
            fields.Add(new FieldChange("security_groups",
                string.Join(", ", i.SecurityGroupIds.Select(g => Named(g, ctx)).Order(StringComparer.Ordinal)), string.Join(", ", GroupsOf(node))));
        var tags = TagsFor(node, ctx);
        fields.AddRange(TagDiff.Fields(tags, i.Tags));
        // Labels are ours: one taken out of the definition is taken off the node (other tags are left alone).
        fields.AddRange(StaleLabels(tags, i.Tags).Select(k => FieldChange.Remove(TagDiff.Prefix + k, i.Tags[k])));
        return fields.Count == 0 ? [] : [new Change(node.Address, ChangeAction.Update, i.State is "stopped" or "stopping" ? "stopped" : "drifted", fields)];
    }

    /// <summary>Every node is in <c>nodes</c> (gossip, overlay, SSH from admins); managers also in <c>managers</c>.</summary>
    private static IReadOnlyList<ResourceAddress> GroupsOf(ComputeNode node) =>
        node.IsManager ? [SecurityRules.Nodes, SecurityRules.Managers] : [SecurityRules.Nodes];

    /// <summary>The groups' ids, or null when this run has not observed them.</summary>
    private static IReadOnlyList<string>? GroupIds(ComputeNode node, ProvisionContext ctx)
    {
        var ids = GroupsOf(node).Select(ctx.IdOf).ToList();
        return ids.Any(id => id is null) ? null : ids.Select(id => id!).ToList();
    }

    private string ProfileOf(ComputeNode node) => node.IsManager ? spec.Names.ManagerInstanceProfile : spec.Names.WorkerInstanceProfile;

    /// <summary>The cluster's tags, the node's swarm role and its group's labels.</summary>
    private static IReadOnlyDictionary<string, string> TagsFor(ComputeNode node, ProvisionContext ctx)
    {
        var tags = new SortedDictionary<string, string>(ctx.TagsFor(node.Address).ToDictionary(), StringComparer.Ordinal)
        {
            [ComputeNode.NodeRoleTag] = node.RoleName,
        };
        foreach (var (key, value) in node.Group.Labels) tags[ComputeNode.LabelTagPrefix + key] = value;
        return tags;
    }

    private static IEnumerable<string> StaleLabels(IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string> observed) =>
        observed.Keys.Where(k => k.StartsWith(ComputeNode.LabelTagPrefix, StringComparison.Ordinal) && !desired.ContainsKey(k)).Order(StringComparer.Ordinal);

    private static string? Named(string? id, ProvisionContext ctx) => id is null ? null : ctx.AddressOf(id)?.ToString() ?? id;
}
