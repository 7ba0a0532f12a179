using Futuswarm.Cluster.Provisioning.Engine;
using Futuswarm.Cluster.Provisioning.State;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// An in-memory KMS and S3 for the state resources, behaving as AWS does where the provisioning code could go
/// wrong: key ids and ARNs, keys pending deletion kept (and refusing use), aliases unique per name, S3's defaults
/// for a new bucket (all public access blocked, SSE-S3, versioning never enabled), versioning that can only be
/// suspended once enabled, and the refusals (<c>AlreadyExistsException</c>, <c>BucketNotEmpty</c>, ...).
/// Like <see cref="FakeEc2Cloud"/> it counts every mutating call by name and can refuse the Nth one.
/// </summary>
public sealed partial class FakeStateCloud(string region = "eu-north-1", string accountId = "123456789012") : FakeCloud("InternalError"), IKmsResources, IS3Resources
{
    private int _nextId;

    public string Region { get; } = region;
    public string AccountId { get; } = accountId;

    /// <summary>Every resource tagged <c>futuswarm:cluster=<paramref name="cluster"/></c> and still usable, as "kind id".</summary>
    public override IReadOnlyList<string> Tagged(string cluster) =>
        _keys.Values.Where(k => k.State != "PendingDeletion" && k.Tags.GetValueOrDefault(ClusterTags.Cluster) == cluster).Select(k => "kms-key " + k.Id)
            .Concat(_buckets.Values.Where(b => b.Tags.GetValueOrDefault(ClusterTags.Cluster) == cluster).Select(b => "state-bucket " + b.Name)).ToList();

    private static CloudException Error(string call, string code, string message) => new(call, code, message);

    private static IReadOnlyDictionary<string, string> Snapshot(Dictionary<string, string> tags) =>
        new SortedDictionary<string, string>(tags, StringComparer.Ordinal);

    protected override Exception InjectedFailure(string call, string code) => new CloudException(call, code, "injected failure");
}
