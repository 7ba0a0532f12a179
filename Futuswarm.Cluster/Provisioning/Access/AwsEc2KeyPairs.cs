using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Access;

/// <summary><see cref="IEc2KeyPairs"/> on AWSSDK.EC2: one SDK call per method, EC2's error code carried in a <see cref="CloudException"/>.</summary>
public sealed class AwsEc2KeyPairs(IAmazonEC2 client) : IEc2KeyPairs
{
    public async Task<KeyPairInfo?> DescribeKeyPairAsync(string keyName, CancellationToken ct)
    {
        var request = new DescribeKeyPairsRequest { Filters = [new Filter("key-name", [keyName])] };
        var response = await Call("DescribeKeyPairs", () => client.DescribeKeyPairsAsync(request, ct));
        var k = (response.KeyPairs ?? []).FirstOrDefault(k => k.KeyName == keyName);
        return k is null ? null : new KeyPairInfo(k.KeyName, k.KeyPairId, k.KeyFingerprint ?? "", Tags(k.Tags));
    }

    public async Task<KeyPairInfo> ImportKeyPairAsync(string keyName, string publicKey, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var request = new ImportKeyPairRequest
        {
            KeyName = keyName,
            PublicKeyMaterial = publicKey.Trim(),
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.KeyPair, Tags = TagList(tags) }],
        };
        var r = await Call("ImportKeyPair", () => client.ImportKeyPairAsync(request, ct));
        return new KeyPairInfo(r.KeyName, r.KeyPairId, r.KeyFingerprint ?? "", Tags(r.Tags));
    }

    public Task CreateTagsAsync(string keyPairId, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        Call("CreateTags", () => client.CreateTagsAsync(new CreateTagsRequest { Resources = [keyPairId], Tags = TagList(tags) }, ct));

    public Task DeleteKeyPairAsync(string keyPairId, CancellationToken ct) =>
        Call("DeleteKeyPair", () => client.DeleteKeyPairAsync(new DeleteKeyPairRequest { KeyPairId = keyPairId }, ct));

    private static List<Tag> TagList(IReadOnlyDictionary<string, string> tags) => tags.Select(t => new Tag(t.Key, t.Value)).ToList();

    private static IReadOnlyDictionary<string, string> Tags(List<Tag>? tags) =>
        new SortedDictionary<string, string>((tags ?? []).ToDictionary(t => t.Key, t => t.Value), StringComparer.Ordinal);

    private static Task<T> Call<T>(string name, Func<Task<T>> call) => Aws.CloudCalls.Sdk(name, call);
}
