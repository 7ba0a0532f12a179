using System.Collections.Immutable;
using System.Net;
using Futuswarm.Cluster.Access;
using Futuswarm.Protocol;
using static Futuswarm.Cluster.Provisioning.Definition.DefinitionLimits;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>
/// The schema: which fields each object has, which are required, their rules and defaults (the top level,
/// CIDRs and admins here; the rest in DefinitionBinder.Resources.cs). Binds the whole tree even after a
/// problem, so every problem is found in one pass; returns null when there was any.
/// </summary>
internal sealed partial class DefinitionBinder(ProblemList problems)
{
    static readonly string[] TopFields =
        ["name", "region", "baseDomain", "adminCidrs", "allowSshFromAnywhere", "deployerCidrs", "firstAdmins",
         "nodeGroups", "database", "registry", "edgeImage", "apiPort", "availabilityZones", "vpcCidr"];
    static readonly string[] AdminFields = ["name", "keys"];
    static readonly string[] NodeGroupsFields = ["managers", "workers"];
    static readonly string[] NodeGroupFields = ["count", "instanceType", "diskGb", "labels"];
    static readonly string[] DatabaseFields =
        ["engine", "engineVersion", "instanceClass", "allocatedStorageGb", "backupRetentionDays", "multiAz"];
    static readonly string[] RegistryFields = ["server", "pullCredentials"];

    public ClusterDefinition? Bind(SourceNode root)
    {
        if (root is not SourceObject)
        {
            problems.Add(ErrorCodes.ClusterDefinitionUnreadable, "", root.At, $"the definition must be one JSON object {{ \"name\": ..., ... }}, not {root.Kind}");
            return null;
        }
        var top = DefinitionFields.Open(root, "", TopFields, problems)!;
        var name = top.String("name", DefinitionRules.CheckName, "give the cluster a short DNS label such as \"prod\"");
        var region = top.String("region", DefinitionRules.CheckRegion, "give the AWS region such as \"eu-west-1\"");
        var baseDomain = top.String("baseDomain", DefinitionRules.CheckBaseDomain, "give the domain services answer under, such as \"apps.example.com\"");
        var allowSshFromAnywhere = top.Bool("allowSshFromAnywhere") ?? false;
        var adminCidrs = Cidrs(top, "adminCidrs", "give the networks that may SSH to the nodes, such as [\"203.0.113.0/24\"]", refuseAnywhere: !allowSshFromAnywhere);
        var deployerCidrs = Cidrs(top, "deployerCidrs", "give the networks that may reach the API port (laptops, CI), such as [\"203.0.113.0/24\"]", refuseAnywhere: false);
        var firstAdmins = FirstAdmins(top);
        var nodeGroups = NodeGroups(top);
        var database = Database(top);
        var registry = Registry(top);
        var edgeImage = EdgeImage(top);
        var apiPort = ApiPort(top);
        var zones = top.Int("availabilityZones", MinAvailabilityZones, MaxAvailabilityZones,
            "the load balancer and the database subnet group need two zones, and no region has more than six");
        var vpcCidr = top.String("vpcCidr", DefinitionRules.CheckVpcCidr);

        if (problems.Items.Count > 0) return null;
        return new ClusterDefinition
        {
            Name = name!,
            Region = region!,
            BaseDomain = baseDomain!,
            AdminCidrs = adminCidrs!,
            AllowSshFromAnywhere = allowSshFromAnywhere,
            DeployerCidrs = deployerCidrs!,
            FirstAdmins = firstAdmins!,
            NodeGroups = nodeGroups!,
            Database = database!,
            Registry = registry!,
            EdgeImage = edgeImage,
            ApiPort = apiPort ?? DefaultApiPort,
            AvailabilityZones = zones ?? DefaultAvailabilityZones,
            VpcCidr = IPNetwork.Parse(vpcCidr ?? DefaultVpcCidr),
        };
    }

    IReadOnlyList<IPNetwork>? Cidrs(DefinitionFields fields, string field, string requiredHint, bool refuseAnywhere)
    {
        if (fields.Array(field, requiredHint) is not { Items: var items } array) return null;
        var path = fields.PathOf(field);
        if (items.Count == 0)
        {
            problems.Invalid(path, array.At, $"is empty; {requiredHint}");
            return null;
        }
        var seen = new Dictionary<IPNetwork, int>();
        var result = new List<IPNetwork>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = DefinitionFields.Item(path, i);
            IPNetwork network = default;
            if (DefinitionFields.AsString(items[i], itemPath, text => CidrRule.TryParse(text, out network), problems) is null) continue;
            if (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                // The VPC and its nodes are IPv4-only: an IPv6 rule would admit nobody and only look like access.
                problems.Invalid(itemPath, items[i].At, $"{network} is IPv6; the cluster's network is IPv4-only, so give the IPv4 networks your people come from");
            else if (seen.TryGetValue(network, out var first))
                problems.Invalid(itemPath, items[i].At, $"{network} is listed twice (also {DefinitionFields.Item(path, first)}); keep one");
            else if (refuseAnywhere && CidrRule.IsAnywhere(network))
                problems.Add(ErrorCodes.SshOpenToWorld, itemPath, items[i].At,
                    $"{network} opens SSH on every node to the whole internet; list your admins' networks (office, VPN) instead, or set \"allowSshFromAnywhere\": true if you really mean it");
            else
                seen[network] = i;
            result.Add(network);
        }
        return result.ToImmutableArray();
    }

    IReadOnlyList<FirstAdmin>? FirstAdmins(DefinitionFields top)
    {
        const string hint = "give at least one admin: [{ \"name\": \"alice\", \"keys\": [\"ssh-ed25519 AAAA... alice@laptop\"] }]";
        if (top.Array("firstAdmins", hint) is not { Items: var items } array) return null;
        var path = top.PathOf("firstAdmins");
        if (items.Count == 0)
        {
            problems.Invalid(path, array.At, $"is empty; {hint}; without an admin nobody can manage the cluster");
            return null;
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new Dictionary<(string, string), string>();
        var result = new List<FirstAdmin>();
        for (var i = 0; i < items.Count; i++)
        {
            if (DefinitionFields.Open(items[i], DefinitionFields.Item(path, i), AdminFields, problems) is not { } admin) continue;
            var name = admin.String("name", DefinitionRules.CheckAdminName, "give the admin's user name, such as \"alice\"");
            if (name is not null && !names.TryAdd(name, admin.Path))
                problems.Invalid(admin.PathOf("name"), admin.Node("name")!.At, $"'{name}' is already {names[name]}; give each admin once, with all their keys");
            var adminKeys = new List<string>();
            if (admin.Array("keys", "give the admin's OpenSSH public keys, such as [\"ssh-ed25519 AAAA... alice@laptop\"]") is { Items: var keyNodes } keyArray)
            {
                if (keyNodes.Count == 0) problems.Invalid(admin.PathOf("keys"), keyArray.At, "is empty; give at least one OpenSSH public key");
                for (var k = 0; k < keyNodes.Count; k++)
                {
                    var keyPath = DefinitionFields.Item(admin.PathOf("keys"), k);
                    if (DefinitionFields.AsString(keyNodes[k], keyPath, DefinitionRules.CheckPublicKey, problems) is not { } key) continue;
                    key = key.Trim();
                    // One key identifies one user in the ACL, so a key shared between admins (or repeated) is ambiguous.
                    if (!keys.TryAdd(SshKeys.Parse(key)!.Value, keyPath))
                        problems.Invalid(keyPath, keyNodes[k].At, $"this key is already {keys[SshKeys.Parse(key)!.Value]}; one key identifies one user");
                    adminKeys.Add(key);
                }
            }
            if (name is not null) result.Add(new FirstAdmin(name, adminKeys.ToImmutableArray()));
        }
        return result.ToImmutableArray();
    }
}
