using Futuswarm.Protocol;

namespace Futuswarm.Cluster.Provisioning.Compute;

/// <summary>The image a node of one instance type boots: Debian 12 for the type's architecture, and the AMI's root device.</summary>
public sealed record NodeImage(string InstanceType, string Architecture, string Parameter, string ImageId, string RootDeviceName)
{
    public override string ToString() => $"{ImageId} (debian 12 {Architecture}, {Parameter})";
}

/// <summary>
/// Finds the AMI from AWS's public SSM parameter, <c>/aws/service/debian/release/12/latest/&lt;amd64|arm64&gt;</c>, for the
/// architecture EC2 reports for the instance type (DescribeInstanceTypes), never guessed from the type's name. The
/// root device comes from the AMI itself: a block device mapping on another name would add a second volume instead of
/// sizing the root.
/// </summary>
public static class NodeImages
{
    public static string ParameterFor(string architecture) => $"/aws/service/debian/release/12/latest/{architecture}";

    /// <summary>Debian's name for EC2's architecture, or null for one without a Debian 12 image (mac, i386).</summary>
    public static string? DebianArchitecture(IReadOnlyList<string> supported) =>
        supported.Contains("arm64") ? "arm64" : supported.Contains("x86_64") ? "amd64" : null;

    public static async Task<IReadOnlyDictionary<string, NodeImage>> ResolveAsync(
        IEc2Instances ec2, ISsmParameters ssm, IReadOnlyList<string> instanceTypes, CancellationToken ct)
    {
        var images = new Dictionary<string, NodeImage>(StringComparer.Ordinal);
        if (instanceTypes.Count == 0) return images;
        var architectures = await ec2.DescribeInstanceTypesAsync(instanceTypes, ct);
        var byArchitecture = new Dictionary<string, (string ImageId, string Root)>(StringComparer.Ordinal);
        foreach (var type in instanceTypes)
        {
            if (!architectures.TryGetValue(type, out var supported))
                throw new FswException(ErrorCodes.InstanceTypeUnsupported,
                    $"The instance type '{type}' is not offered by EC2 in this region. Choose one it offers (e.g. t3.medium, m7g.large) and run again.");
            var architecture = DebianArchitecture(supported)
                ?? throw new FswException(ErrorCodes.InstanceTypeUnsupported,
                    $"The instance type '{type}' runs {string.Join("/", supported)}, for which there is no Debian 12 image. Choose an x86_64 or arm64 type and run again.");
            if (!byArchitecture.TryGetValue(architecture, out var image))
                byArchitecture[architecture] = image = await FindAsync(ec2, ssm, architecture, ct);
            images[type] = new NodeImage(type, architecture, ParameterFor(architecture), image.ImageId, image.Root);
        }
        return images;
    }

    private static async Task<(string, string)> FindAsync(IEc2Instances ec2, ISsmParameters ssm, string architecture, CancellationToken ct)
    {
        var parameter = ParameterFor(architecture);
        var imageId = await ssm.GetParameterAsync(parameter, ct)
            ?? throw new FswException(ErrorCodes.NodeImageNotFound,
                $"AWS's public parameter {parameter} does not exist in this region, so there is no Debian 12 {architecture} image to boot. Choose a region that has it, or a type of the other architecture.");
        var image = await ec2.DescribeImageAsync(imageId, ct)
            ?? throw new FswException(ErrorCodes.NodeImageNotFound,
                $"{parameter} names {imageId}, which DescribeImages does not show to this account. Check the credentials may call ec2:DescribeImages, and run again.");
        return (image.ImageId, image.RootDeviceName);
    }
}
