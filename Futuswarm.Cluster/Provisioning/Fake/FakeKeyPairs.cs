using Futuswarm.Cluster.Provisioning.Access;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// In-memory EC2 key pairs behind <see cref="IEc2KeyPairs"/>: EC2's fingerprints (<see cref="KeyFingerprint"/>), its
/// refusals (InvalidKeyPair.Duplicate, InvalidKeyPair.NotFound), every mutating call counted and the Nth refusable.
/// </summary>
public sealed class FakeKeyPairs : IEc2KeyPairs
{
    private readonly Dictionary<string, KeyPairInfo> _pairs = new(StringComparer.Ordinal);
    private readonly List<FakeCall> _calls = [];
    private int _nextId;
    private int _mutatingSeen;
    private int? _failAt;
    private string _failCode = "InternalError";

    public IReadOnlyList<FakeCall> Calls => _calls;
    public IReadOnlyList<string> CallNames => _calls.Select(c => c.Name).ToList();
    public int ReadCount { get; private set; }
    public IReadOnlyCollection<KeyPairInfo> KeyPairs => _pairs.Values.OrderBy(k => k.KeyName, StringComparer.Ordinal).ToList();

    public void ResetCalls()
    {
        _calls.Clear();
        ReadCount = 0;
    }

    /// <summary>Refuses the <paramref name="n"/>-th mutating call from now (1-based) with <paramref name="code"/>, once.</summary>
    public void FailMutatingCall(int n, string code = "InternalError")
    {
        _failAt = _mutatingSeen + n;
        _failCode = code;
    }

    /// <summary>A key pair someone else imported (drift), not counted as a call.</summary>
    public KeyPairInfo Seed(string keyName, string publicKey, IReadOnlyDictionary<string, string> tags) => Add(keyName, publicKey, tags);

    public Task<KeyPairInfo?> DescribeKeyPairAsync(string keyName, CancellationToken ct)
    {
        ReadCount++;
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

    private void Mutating(string name, string detail)
    {
        _mutatingSeen++;
        var fail = _failAt == _mutatingSeen;
        _calls.Add(new FakeCall(name, detail, fail));
        if (!fail) return;
        _failAt = null;
        throw new CloudException(name, _failCode, "injected failure");
    }
}
