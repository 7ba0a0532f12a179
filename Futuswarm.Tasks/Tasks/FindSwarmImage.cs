using Futuswarm.Tasks.ContentKeys;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>
/// Looks up the image tagged with the content key in the registry: the registry is the cache of what was built.
/// Found: deploy it as it is (a no-op, a property change or a revert pushes nothing). Missing: publish it.
/// Unknown (no anonymous access, registry unreachable): ask the manager, which knows what runs.
/// </summary>
public sealed class FindSwarmImage : FswTask
{
    public const string Found = "found";
    public const string Missing = "missing";
    public const string Unknown = "unknown";

    [Required] public string Registry { get; set; } = "";
    [Required] public string Repository { get; set; } = "";
    [Required] public string Tag { get; set; } = "";

    /// <summary>registry/repository@sha256:... when found.</summary>
    [Output] public string Image { get; private set; } = "";
    [Output] public string State { get; private set; } = Unknown;

    /// <summary>Test seam: the registry client.</summary>
    internal RegistryDigestClient Client { get; set; } = new();

    protected override async System.Threading.Tasks.Task ExecuteAsync()
    {
        var reference = $"{Registry}/{Repository}:{Tag}";
        try
        {
            var digest = await Client.TryResolveAsync(reference, Cancellation);
            State = digest is null ? Missing : Found;
            Image = digest is null ? "" : $"{Registry}/{Repository}@{digest}";
            Log.LogMessage(MessageImportance.Low, $"{reference}: {State} {Image}");
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException or System.Text.Json.JsonException)
        {
            State = Unknown;
            Log.LogMessage(MessageImportance.Low, $"{reference}: the registry could not say ({e.Message}); asking the manager instead");
        }
    }
}
