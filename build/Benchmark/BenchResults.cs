namespace Futuswarm.Build.Benchmarks;

/// <summary>Everything measured in one run; filled as the run goes, so a failed run still reports what it got.</summary>
sealed class BenchResults
{
    public List<SdkTiming> SdkRounds { get; } = [];
    /// <summary>The conventional manual path: multi-stage Dockerfile, restore and publish inside docker build.</summary>
    public List<MultiStageTiming> MultiStageRounds { get; } = [];
    /// <summary>The host-publish manual path: dotnet publish on the host, a one-line COPY Dockerfile.</summary>
    public List<ManualTiming> ManualRounds { get; } = [];
    public List<SdkTiming> NoOps { get; } = [];
    public List<double> NoChangePublishes { get; } = [];
    public SdkTiming? ColdFirstDeploy { get; set; }
    public List<DemoTiming> Demos { get; } = [];

    public bool Empty => SdkRounds.Count == 0 && ManualRounds.Count == 0 && MultiStageRounds.Count == 0 && NoOps.Count == 0 && ColdFirstDeploy is null && Demos.Count == 0;

    public static double? Median(IEnumerable<double?> values)
    {
        var v = values.Where(x => x is not null).Select(x => x!.Value).Order().ToList();
        if (v.Count == 0) return null;
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    public static double? Median(IEnumerable<double> values) => Median(values.Select(x => (double?)x));
}
