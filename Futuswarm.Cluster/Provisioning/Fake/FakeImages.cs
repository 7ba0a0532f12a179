using Futuswarm.Cluster.Provisioning.Compute;

namespace Futuswarm.Cluster.Provisioning.Fake;

/// <summary>
/// The region the fakes pretend to be: the Debian 12 AMIs behind AWS's public parameters (FakeSsmParameters answers
/// them, FakeEc2Cloud launches them) and the instance types EC2 offers with their architectures.
/// </summary>
public static class FakeImages
{
    public const string DebianAmd64 = "ami-0de12a0000000a064";
    public const string DebianArm64 = "ami-0de12a0000000a864";

    /// <summary>Debian's AMIs boot from <c>/dev/xvda</c>.</summary>
    public const string RootDevice = "/dev/xvda";

    public static IReadOnlyDictionary<string, ImageInfo> Images { get; } = new Dictionary<string, ImageInfo>(StringComparer.Ordinal)
    {
        [DebianAmd64] = new(DebianAmd64, "x86_64", RootDevice, "debian-12-amd64-20261101-1921"),
        [DebianArm64] = new(DebianArm64, "arm64", RootDevice, "debian-12-arm64-20261101-1921"),
    };

    public static IReadOnlyDictionary<string, string> PublicParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [NodeImages.ParameterFor("amd64")] = DebianAmd64,
        [NodeImages.ParameterFor("arm64")] = DebianArm64,
    };

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> InstanceTypes { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["t3.micro"] = ["x86_64"], ["t3.small"] = ["x86_64"], ["t3.medium"] = ["x86_64"], ["t3.large"] = ["x86_64"], ["t3.xlarge"] = ["x86_64"],
        ["t3a.medium"] = ["x86_64"], ["t3a.large"] = ["x86_64"], ["t2.micro"] = ["i386", "x86_64"],
        ["m5.large"] = ["x86_64"], ["m6i.large"] = ["x86_64"], ["m7i.large"] = ["x86_64"], ["c6i.large"] = ["x86_64"],
        ["t4g.small"] = ["arm64"], ["t4g.medium"] = ["arm64"], ["t4g.large"] = ["arm64"],
        ["m6g.large"] = ["arm64"], ["m7g.large"] = ["arm64"], ["c7g.large"] = ["arm64"],
        ["mac1.metal"] = ["x86_64_mac"],
    };
}
