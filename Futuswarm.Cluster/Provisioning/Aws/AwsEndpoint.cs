namespace Futuswarm.Cluster.Provisioning.Aws;

/// <summary>
/// Where a service answers and what it is signed for. IAM is global: one endpoint per partition, signed for that
/// partition's home region (us-east-1 in the commercial partition). The others are regional.
/// </summary>
/// <param name="ServiceName">The name errors and logs use, e.g. "IAM".</param>
public sealed record AwsEndpoint(string ServiceName, Uri Url, string SigningRegion, string SigningService)
{
    public static AwsEndpoint Iam(string region = "us-east-1") => Partition(region) switch
    {
        "aws-cn" => new("IAM", new Uri("https://iam.cn-north-1.amazonaws.com.cn/"), "cn-north-1", "iam"),
        "aws-us-gov" => new("IAM", new Uri("https://iam.us-gov.amazonaws.com/"), "us-gov-west-1", "iam"),
        _ => new("IAM", new Uri("https://iam.amazonaws.com/"), "us-east-1", "iam"),
    };

    public static AwsEndpoint ElbV2(string region) => Regional("ELBv2", "elasticloadbalancing", region);

    public static AwsEndpoint Rds(string region) => Regional("RDS", "rds", region);

    public static AwsEndpoint Acm(string region) => Regional("ACM", "acm", region);

    /// <summary>The same service at another URL (a local stand-in), still signed for the given region.</summary>
    public AwsEndpoint At(Uri url) => this with { Url = url };

    private static AwsEndpoint Regional(string name, string prefix, string region) =>
        new(name, new Uri($"https://{prefix}.{region}.{(Partition(region) == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com")}/"), region, prefix);

    private static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";
}
