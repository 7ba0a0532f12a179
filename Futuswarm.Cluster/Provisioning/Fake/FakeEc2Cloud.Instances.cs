using System.Text;
using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.Network;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// The instance calls of the fake EC2: launches that are pending for <see cref="PendingReads"/> reads and then running,
/// terminated instances still listed (as EC2 lists them for about an hour), ClientToken idempotency, root volumes, and
/// EC2's refusals where a wrong launch would show (unknown subnet or group, groups of another VPC, an unknown type or
/// AMI, an AMI of the other architecture, a mapping that misses the AMI's root device, user data over 16 KB, a private
/// address outside the subnet or held by another instance that is not yet terminated). EC2 picks other addresses: here
/// the lowest free one of the subnet.
/// </summary>
public sealed partial class FakeEc2Cloud : IEc2Instances
{
    private sealed class Instance(string id, InstanceLaunch launch, string zone, string volumeId, int ordinal, string privateIp)
    {
        public string Id { get; } = id;
        public InstanceLaunch Launch { get; } = launch;
        public string Zone { get; } = zone;
        public string VolumeId { get; } = volumeId;
        public string Type { get; set; } = launch.InstanceType;
        public List<string> Groups { get; set; } = [.. launch.SecurityGroupIds];
        public MetadataOptions Metadata { get; set; } = launch.Metadata;
        public string State { get; set; } = "pending";
        public int ReadsLeft { get; set; }
        public string? StateReason { get; set; }
        public Dictionary<string, string> Tags { get; } = new(launch.Tags, StringComparer.Ordinal);
        public string PrivateIp { get; } = privateIp;
        public string PublicIp { get; } = $"198.51.100.{ordinal % 250 + 1}";
    }

    private sealed record Volume(string Id, int SizeGb, string Type, bool Encrypted, Dictionary<string, string> Tags);

    private readonly List<Instance> _instances = [];
    private readonly Dictionary<string, Volume> _volumes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <summary>How many reads a launched or started instance stays pending before it is running.</summary>
    public int PendingReads { get; set; } = 1;

    /// <summary>Every instance ever launched, terminated ones included, in launch order (not a read).</summary>
    public IReadOnlyList<InstanceInfo> AllInstances => _instances.Select(View).ToList();

    /// <summary>What an instance was launched with (its user data included), for asserting a launch.</summary>
    public InstanceLaunch LaunchOf(string instanceId) => Find(instanceId).Launch;

    /// <summary>The cluster's instances that are not terminated, as "address id".</summary>
    public IReadOnlyList<string> TaggedInstances(string cluster) => _instances
        .Where(i => i.State != "terminated" && i.Tags.GetValueOrDefault(ClusterTags.Cluster) == cluster)
        .Select(i => $"{i.Tags.GetValueOrDefault(ClusterTags.Role)} {i.Id}").ToList();

    /// <summary>Someone terminates an instance in the console (not a call of the code under test).</summary>
    public void TerminateBehindTheBack(string instanceId) => Terminate(Find(instanceId));

    /// <summary>Someone stops an instance in the console.</summary>
    public void StopBehindTheBack(string instanceId) => Find(instanceId).State = "stopped";

    /// <summary>Someone stops an instance, changes its type and starts it again.</summary>
    public void ChangeTypeBehindTheBack(string instanceId, string instanceType) => Find(instanceId).Type = instanceType;

    /// <summary>The ClientToken of every RunInstances call, refused ones included.</summary>
    public List<string> ClientTokensSeen { get; } = [];

    /// <summary>How many launches EC2 still refuses the instance profile for, as it does while IAM propagates a new one.</summary>
    public int ProfileLag { get; set; }

    /// <summary>How many reads a terminated instance stays shutting-down (holding its address) before it is terminated.</summary>
    public int ShuttingDownReads { get; set; }

    /// <summary>The next launched instance goes shutting-down instead of running (e.g. its EBS key is not usable).</summary>
    public string? FailNextLaunchWith { get; set; }

    public Task<IReadOnlyList<InstanceInfo>> DescribeInstancesAsync(IReadOnlyList<Ec2Filter> filters, CancellationToken ct)
    {
        Reading();
        foreach (var instance in _instances) Step(instance);
        IReadOnlyList<InstanceInfo> found = _instances
            .Where(i => FakeEc2Filters.Match("DescribeInstances", filters, i.Tags, new Dictionary<string, IEnumerable<string?>>
            {
                ["instance-id"] = [i.Id],
                ["instance-state-name"] = [i.State],
                ["instance-type"] = [i.Type],
                ["subnet-id"] = [i.Launch.SubnetId],
                ["private-ip-address"] = [i.PrivateIp],
                ["availability-zone"] = [i.Zone],
            }))
            .Where(i => Visible(i.Id))
            .Select(View).ToList();
        return Task.FromResult(found);
    }

    public Task<IReadOnlyList<VolumeInfo>> DescribeVolumesAsync(IReadOnlyList<string> volumeIds, CancellationToken ct)
    {
        Reading();
        IReadOnlyList<VolumeInfo> found = volumeIds.Where(_volumes.ContainsKey).Select(id => _volumes[id])
            .Select(v => new VolumeInfo(v.Id, v.SizeGb, v.Type, v.Encrypted)).ToList();
        return Task.FromResult(found);
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DescribeInstanceTypesAsync(IReadOnlyList<string> instanceTypes, CancellationToken ct)
    {
        Reading();
        IReadOnlyDictionary<string, IReadOnlyList<string>> found = instanceTypes.Distinct().Where(FakeImages.InstanceTypes.ContainsKey)
            .ToDictionary(t => t, t => FakeImages.InstanceTypes[t], StringComparer.Ordinal);
        return Task.FromResult(found);
    }

    public Task<ImageInfo?> DescribeImageAsync(string imageId, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(FakeImages.Images.GetValueOrDefault(imageId));
    }

    public Task<InstanceInfo> RunInstanceAsync(InstanceLaunch launch, CancellationToken ct)
    {
        Mutating("RunInstances", Describe(launch));
        ClientTokensSeen.Add(launch.ClientToken);
        if (_tokens.TryGetValue(launch.ClientToken, out var same)) return Task.FromResult(View(Find(same)));
        if (ProfileLag > 0 && ProfileLag-- > 0)
            throw Error("RunInstances", "InvalidParameterValue",
                $"Value ({launch.InstanceProfileName}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name");
        var subnet = RequireSubnet("RunInstances", launch.SubnetId);
        foreach (var groupId in launch.SecurityGroupIds)
            if (RequireGroup("RunInstances", groupId).VpcId != subnet.VpcId)
                throw Error("RunInstances", "InvalidParameter", $"Security group {groupId} and subnet {subnet.Id} belong to different networks.");
        if (!FakeImages.InstanceTypes.TryGetValue(launch.InstanceType, out var architectures))
            throw Error("RunInstances", "InvalidParameterValue", $"Invalid value '{launch.InstanceType}' for InstanceType.");
        var image = FakeImages.Images.GetValueOrDefault(launch.ImageId)
            ?? throw Error("RunInstances", "InvalidAMIID.NotFound", $"The image id '[{launch.ImageId}]' does not exist");
        if (!architectures.Contains(image.Architecture))
            throw Error("RunInstances", "InvalidParameterValue",
                $"The architecture '{string.Join(",", architectures)}' of the specified instance type does not match the architecture '{image.Architecture}' of the specified AMI.");
        if (launch.Root.DeviceName != image.RootDeviceName)
            throw Error("RunInstances", "InvalidBlockDeviceMapping",
                $"(fake) {launch.Root.DeviceName} is not the AMI's root device {image.RootDeviceName}: EC2 would attach a second volume and leave the root at its default size");
        if (Encoding.UTF8.GetByteCount(launch.UserData) > 16384)
            throw Error("RunInstances", "InvalidParameterValue", "User data is limited to 16384 bytes");
        if (launch.Metadata.HopLimit is < 1 or > 64)
            throw Error("RunInstances", "InvalidParameterValue", "The HttpPutResponseHopLimit must be between 1 and 64");

        var privateIp = PrivateIpFor(launch, subnet);

        var volume = new Volume(NewId("vol"), launch.Root.SizeGb, launch.Root.VolumeType, launch.Root.Encrypted, new(launch.Tags, StringComparer.Ordinal));
        _volumes[volume.Id] = volume;
        var instance = new Instance(NewId("i"), launch, subnet.Zone, volume.Id, _instances.Count + 1, privateIp) { ReadsLeft = PendingReads };
        if (FailNextLaunchWith is { } reason)
        {
            (instance.State, instance.StateReason, FailNextLaunchWith) = ("shutting-down", reason, null);
            _volumes.Remove(volume.Id);
        }
        _instances.Add(instance);
        _tokens[launch.ClientToken] = instance.Id;
        return Task.FromResult(View(instance));
    }

    /// <summary>
    /// The launch's address as EC2 checks it (inside the subnet, not one of its five reserved, not held by an instance
    /// that is not yet terminated: a terminating one keeps its interface until it is gone, nor by another interface),
    /// or EC2's own pick.
    /// </summary>
    private string PrivateIpFor(InstanceLaunch launch, Subnet subnet)
    {
        var held = Held(subnet.Id);
        if (launch.PrivateIpAddress is { } wanted)
        {
            if (!FixedAddress.Assignable(subnet.Cidr, wanted))
                throw Error("RunInstances", "InvalidParameterValue", $"Address does not fall within the subnet's address range: {wanted} in {subnet.Cidr}");
            return held.Contains(wanted) ? throw Error("RunInstances", "InvalidIPAddress.InUse", $"Address {wanted} is in use.") : wanted;
        }
        return PickAddress(subnet, held, "RunInstances");
    }

    /// <summary>The addresses of the subnet's interfaces: instances not yet terminated, and the others (load balancer, database).</summary>
    private HashSet<string> Held(string subnetId) =>
        _instances.Where(i => i.Launch.SubnetId == subnetId && i.State != "terminated").Select(i => i.PrivateIp)
            .Concat(_interfaces.Where(i => i.SubnetId == subnetId).Select(i => i.Address)).ToHashSet();

    /// <summary>EC2's pick for an interface that names no address: here the lowest one that is free and in no reservation.</summary>
    private string PickAddress(Subnet subnet, IReadOnlySet<string> held, string call)
    {
        Cidr.TryParse(subnet.Cidr, out var cidr);
        for (var host = cidr.Network + 4; host < cidr.Network + (1u << (32 - cidr.Prefix)) - 1; host++)
            if (FixedAddress.Format(host) is var address && !held.Contains(address) && !Reserved(subnet.Id, address))
                return address;
        throw Error(call, "InsufficientFreeAddressesInSubnet", $"The subnet {subnet.Id} has no free addresses left.");
    }

    public Task StartInstanceAsync(string instanceId, CancellationToken ct)
    {
        Mutating("StartInstances", instanceId);
        var instance = RequireInstance("StartInstances", instanceId);
        if (instance.State is not ("stopped" or "running" or "pending"))
            throw Error("StartInstances", "IncorrectInstanceState", $"The instance '{instanceId}' is not in a state from which it can be started.");
        if (instance.State == "stopped") (instance.State, instance.ReadsLeft) = ("pending", PendingReads);
        return Task.CompletedTask;
    }

    public Task TerminateInstanceAsync(string instanceId, CancellationToken ct)
    {
        Mutating("TerminateInstances", instanceId);
        Terminate(RequireInstance("TerminateInstances", instanceId));
        return Task.CompletedTask;
    }

    public Task ModifyInstanceMetadataOptionsAsync(string instanceId, MetadataOptions options, CancellationToken ct)
    {
        Mutating("ModifyInstanceMetadataOptions", $"{instanceId} {options}");
        Live("ModifyInstanceMetadataOptions", instanceId).Metadata = options;
        return Task.CompletedTask;
    }

    public Task ModifyInstanceSecurityGroupsAsync(string instanceId, IReadOnlyList<string> groupIds, CancellationToken ct)
    {
        Mutating("ModifyInstanceAttribute", $"{instanceId} groups={string.Join(",", groupIds)}");
        var instance = Live("ModifyInstanceAttribute", instanceId);
        foreach (var id in groupIds) RequireGroup("ModifyInstanceAttribute", id);
        instance.Groups = [.. groupIds];
        return Task.CompletedTask;
    }

    // Explicit: the network's CreateTags (FakeEc2Cloud.Vpcs.cs) knows network resources only.
    Task IEc2Instances.CreateTagsAsync(string resourceId, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var target = _instances.FirstOrDefault(i => i.Id == resourceId)?.Tags ?? _volumes.GetValueOrDefault(resourceId)?.Tags;
        if (target is null) return CreateTagsAsync(resourceId, tags, ct);
        Mutating("CreateTags", $"{resourceId} {string.Join(",", tags.Select(t => $"{t.Key}={t.Value}"))}");
        foreach (var (key, value) in tags) target[key] = value;
        return Task.CompletedTask;
    }

    public Task DeleteTagsAsync(string resourceId, IReadOnlyList<string> keys, CancellationToken ct)
    {
        Mutating("DeleteTags", $"{resourceId} {string.Join(",", keys)}");
        var target = _instances.FirstOrDefault(i => i.Id == resourceId)?.Tags ?? _volumes.GetValueOrDefault(resourceId)?.Tags
            ?? throw Error("DeleteTags", "InvalidID", $"The ID '{resourceId}' is not valid");
        foreach (var key in keys) target.Remove(key);
        return Task.CompletedTask;
    }

    public Task<string?> GetConsoleOutputAsync(string instanceId, CancellationToken ct)
    {
        Reading();
        var instance = RequireInstance("GetConsoleOutput", instanceId);
        // Output appears once the instance has booted; cloud-init prints the host keys between these markers.
        return Task.FromResult(instance.State is "pending" ? null : $"""
            [    0.000000] Linux version 6.1.0-27-cloud-amd64
            -----BEGIN SSH HOST KEY KEYS-----
            ssh-ed25519 {ConsoleHostKey(instanceId)} root@ip-{instance.PrivateIp.Replace('.', '-')}
            -----END SSH HOST KEY KEYS-----
            Cloud-init v. 22.4.2 finished
            """);
    }

    /// <summary>The host key the fake console prints for an instance (stable per id).</summary>
    public static string ConsoleHostKey(string instanceId) =>
        Convert.ToBase64String([0, 0, 0, 11, .. "ssh-ed25519"u8, 0, 0, 0, 32, .. System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(instanceId))]);

    private static string Describe(InstanceLaunch l) =>
        $"{l.Tags.GetValueOrDefault(ClusterTags.Role)} {l.InstanceType} {l.ImageId} {l.SubnetId} groups={string.Join(",", l.SecurityGroupIds)} "
        + $"profile={l.InstanceProfileName} key={l.KeyName} {l.Metadata} root={l.Root.DeviceName}:{l.Root.SizeGb}GB:{l.Root.VolumeType}"
        + $"{(l.Root.Encrypted ? ":encrypted" : "")}{(l.Root.DeleteOnTermination ? ":delete-on-termination" : "")} public_ip={l.AssociatePublicIpAddress}"
        + (l.PrivateIpAddress is { } ip ? $" private_ip={ip}" : "");

    /// <summary>One read's worth of EC2 moving on: pending becomes running, stopping stopped, shutting-down terminated.</summary>
    private static void Step(Instance i)
    {
        if (i.ReadsLeft > 0) { i.ReadsLeft--; return; }
        i.State = i.State switch
        {
            "pending" => "running",
            "stopping" => "stopped",
            "shutting-down" => "terminated",
            var s => s,
        };
    }

    private void Terminate(Instance instance)
    {
        if (instance.State is "terminated" or "shutting-down") return;
        (instance.State, instance.ReadsLeft) = ("shutting-down", ShuttingDownReads);
        if (instance.Launch.Root.DeleteOnTermination) _volumes.Remove(instance.VolumeId);
    }

    private InstanceInfo View(Instance i) => new(
        i.Id, i.State, i.Type, i.Launch.ImageId, i.Launch.SubnetId, i.Zone, i.Groups.ToList(),
        $"arn:aws:iam::123456789012:instance-profile/{i.Launch.InstanceProfileName}", i.Launch.KeyName, i.Metadata,
        i.Launch.Root.DeviceName, _volumes.ContainsKey(i.VolumeId) ? i.VolumeId : null,
        i.State == "running" && i.Launch.AssociatePublicIpAddress ? i.PublicIp : null, i.PrivateIp, i.StateReason, Snapshot(i.Tags));

    private Instance Find(string id) => _instances.Single(i => i.Id == id);

    private Instance RequireInstance(string call, string id) =>
        _instances.FirstOrDefault(i => i.Id == id) is { } i && Visible(id) ? i
            : throw Error(call, "InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");

    private Instance Live(string call, string id)
    {
        var instance = RequireInstance(call, id);
        return instance.State is "terminated" or "shutting-down"
            ? throw Error(call, "IncorrectInstanceState", $"The instance '{id}' is not in a state from which it can be modified.")
            : instance;
    }
}
