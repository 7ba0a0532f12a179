using Futuswarm.Cluster.Nodes.Manager;
using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Definition;
using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Operations;

/// <summary>
/// Puts the self-contained manager bundle for the managers' architecture in the state bucket
/// (<c>cluster/manager-bundles/&lt;fingerprint&gt;.tar.gz</c>, SSE-KMS like every store write; skipped when there), so
/// a manager's first boot copies it with its instance role. Before the compute layer: the user data names the object.
/// </summary>
public static class ManagerBundleUpload
{
    public const string Prefix = "cluster/manager-bundles";

    public static string KeyOf(ManagerBundle bundle) => $"{Prefix}/{bundle.Fingerprint}.tar.gz";

    /// <returns>Null when the managers cannot set themselves up at first boot (no edge image): they get their services over SSH.</returns>
    public static async Task<ManagerFirstBoot?> PrepareAsync(ClusterDefinition d, ClusterClouds clouds, ClusterStore store, ManagerInputs inputs,
        string apiHostKey, Func<string, ManagerBundle> bundleFor, Action<string> log, CancellationToken ct)
    {
        if (d.EdgeImage is null)
        {
            log("manager bundle: the definition has no edgeImage, so new managers get their services over SSH only (RepairCluster)");
            return null;
        }
        var rid = await RidOfAsync(clouds.Instances, d.NodeGroups.Managers.InstanceType, ct);
        var bundle = bundleFor(rid);
        var key = KeyOf(bundle);
        if ((await store.Store.ListAsync(Prefix, ct)).Contains(key, StringComparer.Ordinal))
            log($"{key}: exists");
        else
        {
            var archive = await bundle.Archive(ct);
            await store.Store.WriteAsync(key, archive, ct);
            log($"{key}: uploaded ({archive.Length / 1024} KiB)");
        }
        return new ManagerFirstBoot(d, inputs, apiHostKey, bundle, new ManagerBundleObject(inputs.StateBucket, key, d.Region));
    }

    /// <summary>The runtime identifier of the managers' instance type (the same Debian image choice the compute layer makes).</summary>
    static async Task<string> RidOfAsync(IEc2Instances ec2, string instanceType, CancellationToken ct)
    {
        var supported = (await ec2.DescribeInstanceTypesAsync([instanceType], ct)).GetValueOrDefault(instanceType)
            ?? throw new FswException(ErrorCodes.InstanceTypeUnsupported,
                $"The instance type '{instanceType}' is not offered by EC2 in this region. Choose one it offers (e.g. t3.medium, m7g.large) and run again.");
        return NodeImages.DebianArchitecture(supported) switch
        {
            "arm64" => "linux-arm64",
            "amd64" => "linux-x64",
            _ => throw new FswException(ErrorCodes.ManagerArchitectureUnsupported,
                $"The managers' instance type '{instanceType}' runs {string.Join("/", supported)}, for which no manager bundle is built (linux-x64, linux-arm64). Nothing was launched."),
        };
    }
}
