using Futuswarm.Protocol;
using Futuswarm.Tasks.ContentKeys;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>Hashes the publish output, the base image digest and the container settings into the content key.</summary>
public sealed class ComputeSwarmContentKey : FswTask
{
    [Required] public string PublishDirectory { get; set; } = "";
    [Required] public string BaseImage { get; set; } = "";
    /// <summary>Container settings that shape the image (entrypoint, user, ports, labels...), one per item.</summary>
    public ITaskItem[] ContainerSettings { get; set; } = [];

    [Output] public string ContentKey { get; private set; } = "";
    [Output] public string BaseImageDigest { get; private set; } = "";

    protected override async System.Threading.Tasks.Task ExecuteAsync()
    {
        try
        {
            BaseImageDigest = await new RegistryDigestClient().ResolveAsync(BaseImage, Cancellation);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException or System.Text.Json.JsonException)
        {
            throw new FswException(ErrorCodes.ContentKeyFailed,
                $"The digest of the base image '{BaseImage}' could not be read ({e.Message}). Check ContainerBaseImage and that its registry is reachable.");
        }
        var settings = ContainerSettings.Select(i => i.ItemSpec + "=" + i.GetMetadata("Value"));
        ContentKey = ContentKeyCalculator.Compute(PublishDirectory, BaseImageDigest, settings);
        Log.LogMessage(MessageImportance.Low, $"Content key {ContentKey} (base image {BaseImage}@{BaseImageDigest})");
    }
}
