using Futuswarm.Cluster.Provisioning.Access;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// In-memory EC2 key pairs behind <see cref="IEc2KeyPairs"/>: EC2's fingerprints (<see cref="KeyFingerprint"/>), its
/// refusals (InvalidKeyPair.Duplicate, InvalidKeyPair.NotFound), every mutating call counted and the Nth refusable.
/// </summary>
public sealed class FakeKeyPairs() : FakeCloud("InternalError"), IEc2KeyPairs
{
    private readonly Dictionary<string, KeyPairInfo> _pairs = new(StringComparer.Ordinal);
    private int _nextId;

    public IReadOnlyCollection<KeyPairInfo> KeyPairs => _pairs.Values.OrderBy(k => k.KeyName, StringComparer.Ordinal).ToList();

    public override IReadOnlyList<string> Tagged(string cluster) =>
        _pairs.Values.Where(p => p.Tags.GetValueOrDefault(ClusterTags.Cluster) == cluster).Select(p => "key-pair " + p.KeyName).ToList();

    /// <summary>A key pair someone else imported (drift), not counted as a call.</summary>
    public KeyPairInfo Seed(string keyName, string publicKey, IReadOnlyDictionary<string, string> tags) => Add(keyName, publicKey, tags);

    public Task<KeyPairInfo?> DescribeKeyPairAsync(string keyName, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(_pairs.GetValueOrDefault(keyName));
    }

    public Task<KeyPairInfo> ImportKeyPairAsync(string keyName, string publicKey, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("ImportKeyPair", keyName);
        if (_pairs.ContainsKey(keyName)) throw new CloudException("ImportKeyPair", "InvalidKeyPair.Duplicate", $"The keypair '{keyName}' already exists.");
        try
        {
            return Task.FromResult(Add(keyName, publicKey, tags));
        }
        catch (FormatException e)
        {
            throw new CloudException("ImportKeyPair", "InvalidKey.Format", e.Message);
        }
    }

    public Task CreateTagsAsync(string keyPairId, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        Mutating("CreateTags", keyPairId);
        var pair = ById("CreateTags", keyPairId);
        var merged = new SortedDictionary<string, string>(pair.Tags.ToDictionary(), StringComparer.Ordinal);
        foreach (var (k, v) in tags) merged[k] = v;
        _pairs[pair.KeyName] = pair with { Tags = merged };
        return Task.CompletedTask;
    }

    public Task DeleteKeyPairAsync(string keyPairId, CancellationToken ct)
    {
        Mutating("DeleteKeyPair", keyPairId);
        _pairs.Remove(ById("DeleteKeyPair", keyPairId).KeyName);
        return Task.CompletedTask;
    }

    /// <summary>Edits a key pair's tags behind the provisioner's back (drift).</summary>
    public void SetTags(string keyName, IReadOnlyDictionary<string, string> tags) =>
        _pairs[keyName] = _pairs[keyName] with { Tags = new SortedDictionary<string, string>(tags.ToDictionary(), StringComparer.Ordinal) };

    private KeyPairInfo Add(string keyName, string publicKey, IReadOnlyDictionary<string, string> tags)
    {
        var pair = new KeyPairInfo(keyName, $"key-{++_nextId:x17}", KeyFingerprint.Of(publicKey) + "=",
            new SortedDictionary<string, string>(tags.ToDictionary(), StringComparer.Ordinal));
        _pairs[keyName] = pair;
        return pair;
    }

    private KeyPairInfo ById(string call, string id) =>
        _pairs.Values.FirstOrDefault(p => p.KeyPairId == id) ?? throw new CloudException(call, "InvalidKeyPair.NotFound", $"The key pair '{id}' does not exist");

    protected override Exception InjectedFailure(string call, string code) => new CloudException(call, code, "injected failure");
}
