using System.Globalization;
using Futuswarm.Protocol;
using Microsoft.Build.Framework;

namespace Futuswarm.Tasks;

/// <summary>Shows what runs: release, image, tasks, URL.</summary>
public sealed class SwarmStatus : ManagerTask
{
    [Output] public string Release { get; private set; } = "";
    [Output] public string Image { get; private set; } = "";
    [Output] public string ContentKey { get; private set; } = "";
    [Output] public string Url { get; private set; } = "";

    protected override async Task ExecuteAsync()
    {
        var result = await SendAsync(Wire.Verbs.Status, new ServiceRequest { Protocol = Wire.ProtocolVersion, Service = ServiceName });
        if (result is null) return;
        Release = result.Release?.ToString(CultureInfo.InvariantCulture) ?? "";
        Image = result.Image ?? "";
        ContentKey = result.ContentKey ?? "";
        Url = result.Url ?? "";
        Log.LogMessage(MessageImportance.High,
            $"{ServiceName}: release {(Release == "" ? "none" : Release)}, {result.RunningTasks ?? 0}/{result.DesiredTasks ?? 0} tasks running, image {(Image == "" ? "none" : Image)}{(Url == "" ? "" : ", " + Url)}");
    }
}
