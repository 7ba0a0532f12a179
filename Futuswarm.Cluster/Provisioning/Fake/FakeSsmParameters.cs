using Futuswarm.Cluster.Provisioning.Compute;
using Futuswarm.Cluster.Provisioning.Engine;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// An in-memory SSM Parameter Store behind <see cref="ISsmParameters"/>: AWS's public Debian parameters preset, and
/// SecureStrings with their KMS key and tags. It refuses what SSM refuses (ParameterAlreadyExists without overwrite,
/// tags together with overwrite, names under <c>aws</c>/<c>ssm</c>). Call records name the parameter, never its value.
/// </summary>
public sealed class FakeSsmParameters() : FakeCloud("InternalServerError"), ISsmParameters
{
    private sealed record Secure(string Value, string KeyId, IReadOnlyDictionary<string, string> Tags);

    private readonly Dictionary<string, string> _public = new(FakeImages.PublicParameters, StringComparer.Ordinal);
    private readonly Dictionary<string, Secure> _secure = new(StringComparer.Ordinal);

    /// <summary>Removes a public parameter, as in a region that does not publish it.</summary>
    public void RemovePublic(string name) => _public.Remove(name);

    public override IReadOnlyList<string> Tagged(string cluster) =>
        _secure.Where(p => p.Value.Tags.GetValueOrDefault(ClusterTags.Cluster) == cluster).Select(p => "ssm-parameter " + p.Key).ToList();

    public IReadOnlyCollection<string> SecureNames => _secure.Keys.Order(StringComparer.Ordinal).ToList();

    public string? KeyOf(string name) => _secure.GetValueOrDefault(name)?.KeyId;

    public IReadOnlyDictionary<string, string>? TagsOf(string name) => _secure.GetValueOrDefault(name)?.Tags;

    public Task<string?> GetParameterAsync(string name, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(_public.GetValueOrDefault(name));
    }

    public Task<string?> GetSecureStringAsync(string name, CancellationToken ct)
    {
        Reading();
        return Task.FromResult(_secure.GetValueOrDefault(name)?.Value);
    }

    public Task PutSecureStringAsync(string name, string value, string kmsKeyId, IReadOnlyDictionary<string, string> tags, bool overwrite, CancellationToken ct)
    {
        Mutating("PutParameter", $"{name} SecureString key={kmsKeyId} overwrite={overwrite}");
        var bare = name.TrimStart('/');
        if (bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
            throw new CloudException("PutParameter", "ValidationException", "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
        if (overwrite && tags.Count > 0)
            throw new CloudException("PutParameter", "ValidationException", "Invalid request: tags and overwrite can't be used together.");
        if (_secure.TryGetValue(name, out var existing))
        {
            if (!overwrite)
                throw new CloudException("PutParameter", "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
            _secure[name] = existing with { Value = value, KeyId = kmsKeyId };
        }
        else
            _secure[name] = new Secure(value, kmsKeyId, new SortedDictionary<string, string>(tags.ToDictionary(), StringComparer.Ordinal));
        return Task.CompletedTask;
    }

    public Task<bool> DeleteParameterAsync(string name, CancellationToken ct)
    {
        Mutating("DeleteParameter", name);
        return Task.FromResult(_secure.Remove(name));
    }

    protected override Exception InjectedFailure(string call, string code) => new CloudException(call, code, "injected failure");
}
