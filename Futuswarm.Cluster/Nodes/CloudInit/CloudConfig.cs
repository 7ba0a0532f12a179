using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Futuswarm.Cluster.Nodes.CloudInit;

/// <summary>A #cloud-config document: files written before any command, then commands as argv arrays (cloud-init
/// runs an array without a shell, so no value is interpreted). Written as YAML whose every scalar is a JSON
/// string, which YAML reads as a double-quoted scalar.</summary>
public sealed class CloudConfig
{
    public sealed record WriteFile(string Path, string Content, string Permissions);

    public List<WriteFile> Files { get; } = [];
    public List<IReadOnlyList<string>> RunCmd { get; } = [];

    public void Write(string path, string content, string permissions) => Files.Add(new(path, content, permissions));
    public void Run(params IReadOnlyList<string> argv) => RunCmd.Add(argv);

    static readonly JsonSerializerOptions Scalar = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static string Q(string s) => JsonSerializer.Serialize(s, Scalar);

    public string ToYaml()
    {
        // Root keeps the instance's key pair (the first admin's key) instead of cloud-init's "log in as admin" stub:
        // RepairCluster bootstraps nodes over SSH as root, and port 22 is open to the admin CIDRs only.
        var sb = new StringBuilder("#cloud-config\ndisable_root: false\n");
        if (Files.Count > 0)
        {
            sb.Append("write_files:\n");
            foreach (var f in Files)
                sb.Append($"  - path: {Q(f.Path)}\n    permissions: {Q(f.Permissions)}\n    owner: \"root:root\"\n    content: {Q(f.Content)}\n");
        }
        if (RunCmd.Count > 0)
        {
            sb.Append("runcmd:\n");
            foreach (var argv in RunCmd)
                sb.Append("  - [").Append(string.Join(", ", argv.Select(Q))).Append("]\n");
        }
        return sb.ToString();
    }
}
