using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Futuswarm.Cluster.Provisioning.Definition;

/// <summary>
/// Writes a definition back in the file's own schema with every default spelt out, so a plan can show the
/// effective definition and an operator can copy it into the file; <see cref="ClusterDefinitionLoader"/> reads it
/// back to an equal definition.
/// </summary>
public static class ClusterDefinitionWriter
{
    public static string ToJson(ClusterDefinition d)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            // Keys hold '+' and '/'; the default encoder's \u002B would make the printed plan unreadable. Not HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            w.WriteStartObject();
            w.WriteString("name", d.Name);
            w.WriteString("region", d.Region);
            w.WriteString("baseDomain", d.BaseDomain);
            Strings(w, "adminCidrs", d.AdminCidrs.Select(c => c.ToString()));
            w.WriteBoolean("allowSshFromAnywhere", d.AllowSshFromAnywhere);
            Strings(w, "deployerCidrs", d.DeployerCidrs.Select(c => c.ToString()));
            w.WriteStartArray("firstAdmins");
            foreach (var admin in d.FirstAdmins)
            {
                w.WriteStartObject();
                w.WriteString("name", admin.Name);
                Strings(w, "keys", admin.Keys);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("nodeGroups");
            Group(w, "managers", d.NodeGroups.Managers);
            Group(w, "workers", d.NodeGroups.Workers);
            w.WriteEndObject();
            w.WriteStartObject("database");
            w.WriteString("engine", d.Database.Engine);
            w.WriteString("engineVersion", d.Database.EngineVersion);
            w.WriteString("instanceClass", d.Database.InstanceClass);
            w.WriteNumber("allocatedStorageGb", d.Database.AllocatedStorageGb);
            w.WriteNumber("backupRetentionDays", d.Database.BackupRetentionDays);
            w.WriteBoolean("multiAz", d.Database.MultiAz);
            w.WriteEndObject();
            w.WriteStartObject("registry");
            w.WriteString("server", d.Registry.Server);
            if (d.Registry.PullCredentials is { } reference) w.WriteString("pullCredentials", reference);
            else w.WriteNull("pullCredentials");
            w.WriteEndObject();
            if (d.EdgeImage is { } edge) w.WriteString("edgeImage", edge);
            else w.WriteNull("edgeImage");
            w.WriteNumber("apiPort", d.ApiPort);
            w.WriteNumber("availabilityZones", d.AvailabilityZones);
            w.WriteString("vpcCidr", d.VpcCidr.ToString());
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void Group(Utf8JsonWriter w, string name, NodeGroup group)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count", group.Count);
        w.WriteString("instanceType", group.InstanceType);
        w.WriteNumber("diskGb", group.DiskGb);
        w.WriteStartObject("labels");
        foreach (var (key, value) in group.Labels) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
