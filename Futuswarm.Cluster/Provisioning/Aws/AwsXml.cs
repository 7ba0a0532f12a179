using System.Globalization;
using System.Xml.Linq;

namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// Reading Query-protocol XML by local name. Each service has its own namespace (and the documentation's samples
/// sometimes a different root element), so nothing here depends on either. A missing required element is a
/// FormatException, which the protocol client reports as FSW6022.
/// </summary>
public static class AwsXml
{
    public static XElement? Child(this XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(this XElement parent, string name) => parent.Child(name)?.Value;

    public static string Required(this XElement parent, string name) =>
        parent.Text(name) is { Length: > 0 } value
            ? value.Trim()
            : throw new FormatException($"<{parent.Name.LocalName}> has no <{name}>");

    public static int? Int(this XElement parent, string name) =>
        parent.Text(name) is { } v && int.TryParse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    public static bool? Bool(this XElement parent, string name) =>
        parent.Text(name)?.Trim() switch { "true" => true, "false" => false, _ => null };

    public static DateTimeOffset? Date(this XElement parent, string name) =>
        parent.Text(name) is { } v && DateTimeOffset.TryParse(v.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    /// <summary>The items of a list: <c>&lt;Roles&gt;&lt;member&gt;</c> in IAM and ELBv2, <c>&lt;Subnets&gt;&lt;Subnet&gt;</c> in RDS.</summary>
    public static IReadOnlyList<XElement> Items(this XElement parent, string listName, string itemName = "member") =>
        parent.Child(listName)?.Elements().Where(e => e.Name.LocalName == itemName).ToList() ?? [];

    public static IReadOnlyList<string> Values(this XElement parent, string listName, string itemName = "member") =>
        parent.Items(listName, itemName).Select(e => e.Value.Trim()).ToList();

    /// <summary>Key/Value items (IAM and ELBv2 Tags/member, RDS TagList/Tag) as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Tags(this XElement parent, string listName = "Tags", string itemName = "member") =>
        parent.Items(listName, itemName).ToDictionary(t => t.Required("Key"), t => t.Text("Value") ?? "", StringComparer.Ordinal);

    /// <summary>The <c>&lt;{Action}Result&gt;</c> element, wherever the root puts it.</summary>
    public static XElement Result(XElement root, string action) =>
        root.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == action + "Result")
        ?? throw new FormatException($"no <{action}Result> in <{root.Name.LocalName}>");
}
