using System.Collections.Immutable;
using static Futuswarm.Cluster.Provisioning.Definition.DefinitionLimits;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>The schema's resources part: node groups with their labels, the database, the registry, the API port.</summary>
internal sealed partial class DefinitionBinder
{
    NodeGroups? NodeGroups(DefinitionFields top)
    {
        if (top.Object("nodeGroups", NodeGroupsFields, "give { \"managers\": { \"count\": 3 }, \"workers\": { \"count\": 2 } }") is not { } groups)
            return null;
        var managers = NodeGroup(groups, "managers", DefaultManagerInstanceType, DefaultManagerDiskGb,
            count => count is 1 or 3 ? null
                : $"must be 1 or 3, not {count}: the swarm's raft needs a majority of managers, so 3 survive the loss of one, " +
                  "while 2 survive no more than 1 does and cost twice as much; use 1 for a test cluster, 3 for production");
        var workers = NodeGroup(groups, "workers", DefaultWorkerInstanceType, DefaultWorkerDiskGb,
            count => count is >= 0 and <= MaxWorkers ? null
                : $"must be 0 to {MaxWorkers}, not {count} (services run on workers only; the upper bound guards against a typo launching a fleet)");
        return managers is null || workers is null ? null : new NodeGroups(managers, workers);
    }

    NodeGroup? NodeGroup(DefinitionFields groups, string role, string defaultType, int defaultDisk, Func<int, string?> countRule)
    {
        if (groups.Object(role, NodeGroupFields, $"give {{ \"count\": {(role == "managers" ? 3 : 2)} }} (the other fields have defaults)") is not { } group)
            return null;
        var count = Count(group, countRule);
        var type = group.String("instanceType", DefinitionRules.CheckInstanceType) ?? defaultType;
        var disk = group.Int("diskGb", MinDiskGb, MaxDiskGb, "the OS, Docker and a few image versions need 20 GB; gp3 volumes end at 16 TiB") ?? defaultDisk;
        var labels = Labels(group);
        return count is null || labels is null ? null : new NodeGroup(count.Value, type, disk, labels);
    }

    int? Count(DefinitionFields group, Func<int, string?> rule)
    {
        var count = group.Int("count", 0, int.MaxValue, "it counts nodes", "give how many nodes this group has");
        if (count is { } c && rule(c) is { } reason)
        {
            problems.Invalid(group.PathOf("count"), group.Node("count")!.At, reason);
            return null;
        }
        return count;
    }

    IReadOnlyDictionary<string, string>? Labels(DefinitionFields group)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (group.Node("labels") is not { } node) return result.ToImmutable();
        var path = group.PathOf("labels");
        if (node is not SourceObject obj)
        {
            problems.Invalid(path, node.At, $"must be an object of names and values, such as {{ \"tier\": \"general\" }}, not {node.Kind}");
            return null;
        }
        var ok = true;
        foreach (var p in obj.Properties)
        {
            var labelPath = DefinitionFields.Child(path, p.Name);
            if (DefinitionRules.CheckLabelKey(p.Name) is { } keyReason) { problems.Invalid(labelPath, p.At, keyReason); ok = false; continue; }
            if (result.ContainsKey(p.Name)) { problems.Unknown(labelPath, p.At, "given twice; keep one"); ok = false; continue; }
            if (DefinitionFields.AsString(p.Value, labelPath, DefinitionRules.CheckLabelValue, problems) is { } value) result[p.Name] = value;
            else ok = false;
        }
        return ok ? result.ToImmutable() : null;
    }

    DatabaseSettings? Database(DefinitionFields top)
    {
        // Optional as a whole: a small single-AZ PostgreSQL is a fine start, and the plan prints what was chosen.
        if (top.Node("database") is null)
            return new DatabaseSettings(DefaultDatabaseEngine, DefaultDatabaseEngineVersion, DefaultDatabaseInstanceClass,
                DefaultAllocatedStorageGb, DefaultBackupRetentionDays, MultiAz: false);
        if (top.Object("database", DatabaseFields) is not { } db) return null;
        return new DatabaseSettings(
            db.String("engine", DefinitionRules.CheckEngine) ?? DefaultDatabaseEngine,
            db.String("engineVersion", DefinitionRules.CheckEngineVersion) ?? DefaultDatabaseEngineVersion,
            db.String("instanceClass", DefinitionRules.CheckInstanceClass) ?? DefaultDatabaseInstanceClass,
            db.Int("allocatedStorageGb", MinAllocatedStorageGb, MaxAllocatedStorageGb, "RDS's bounds for general-purpose storage") ?? DefaultAllocatedStorageGb,
            db.Int("backupRetentionDays", MinBackupRetentionDays, MaxBackupRetentionDays,
                "RDS keeps automated backups 1 to 35 days, and 0 (no backups, no point-in-time restore) is not offered") ?? DefaultBackupRetentionDays,
            db.Bool("multiAz") ?? false);
    }

    RegistrySettings? Registry(DefinitionFields top)
    {
        if (top.Node("registry") is null) return new RegistrySettings(DefaultRegistryServer, PullCredentials: null);
        if (top.Object("registry", RegistryFields) is not { } registry) return null;
        return new RegistrySettings(
            registry.String("server", DefinitionRules.CheckRegistryServer) ?? DefaultRegistryServer,
            registry.String("pullCredentials", DefinitionRules.CheckPullCredentials));
    }

    /// <summary>Optional; a bad value has its own code (FSW6059), since it is found only when a manager pulls it.</summary>
    string? EdgeImage(DefinitionFields top)
    {
        if (top.Node("edgeImage") is not { } node) return null;
        if (node is not SourceScalar { ScalarKind: ScalarKind.String, Text: var text })
        {
            problems.Invalid(top.PathOf("edgeImage"), node.At, $"must be a string in quotes, not {node.Kind}");
            return null;
        }
        if (DefinitionRules.CheckEdgeImage(text) is { } reason)
        {
            problems.Add(Futuswarm.Protocol.ErrorCodes.EdgeImageInvalid, top.PathOf("edgeImage"), node.At, reason);
            return null;
        }
        return text;
    }

    int? ApiPort(DefinitionFields top)
    {
        var port = top.Int("apiPort", 1, 65535, "it is a TCP port");
        if (port is { } p && DefinitionRules.CheckApiPort(p) is { } reason)
        {
            problems.Invalid(top.PathOf("apiPort"), top.Node("apiPort")!.At, reason);
            return null;
        }
        return port;
    }
}
