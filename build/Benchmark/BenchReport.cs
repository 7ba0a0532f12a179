using System.Globalization;
using System.Text;

namespace Futuswarm.Build.Benchmarks;

/// <summary>The table: medians, ratios and the two goals, printed and written to artifacts/benchmark.md.</summary>
static class BenchReport
{
    public const double BuildPushGoal = 0.5;   // SDK build and push at most half the manual path's
    public const double NoOpGoal = 1.0;        // a no-op at most 1 s over a no-change publish

    public static string Render(BenchResults r, int rounds, string sdkVersion)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Futuswarm benchmark ({DateTime.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores, SDK {sdkVersion})");
        md.AppendLine();
        md.AppendLine($"Medians of {r.SdkRounds.Count} of {rounds} timed rounds per path, each after a code change (round 0, the first deploy, untimed). " +
                      "By hand on this kind of machine: manual path 13.1 s, the SDK's own publish to the registry 4.0 s, a no-change publish 2.2-2.7 s.");
        md.AppendLine();
        md.AppendLine("| figure | value | goal |");
        md.AppendLine("|---|---|---|");

        var sdkBp = BenchResults.Median(r.SdkRounds.Select(x => x.BuildPush));
        var sdkRo = BenchResults.Median(r.SdkRounds.Select(x => x.Rollout));
        var sdkTotal = BenchResults.Median(r.SdkRounds.Select(x => x.Total));
        var manBp = BenchResults.Median(r.ManualRounds.Select(x => x.BuildPush));
        var manRo = BenchResults.Median(r.ManualRounds.Select(x => x.Rollout));
        var manTotal = BenchResults.Median(r.ManualRounds.Select(x => x.Total));
        var sdkPublish = BenchResults.Median(r.SdkRounds.Select(x => x.Publish));
        var sdkAsk = BenchResults.Median(r.SdkRounds.Select(x => x.KeyAndAsk));
        var sdkImage = BenchResults.Median(r.SdkRounds.Select(x => x.ImagePush));
        var sdkSecond = BenchResults.Median(r.SdkRounds.Select(x => x.BuildPush - x.Publish - x.KeyAndAsk - x.ImagePush));

        Row(md, "SwarmDeploy, whole command", S(sdkTotal));
        Row(md, "SwarmDeploy build and push (start to \"updating service\")",
            $"{S(sdkBp)} (publish {S(sdkPublish)}, content key + first request {S(sdkAsk)}, image build + push {S(sdkImage)}, second request until the rollout starts {S(sdkSecond)})");
        Row(md, "SwarmDeploy rollout (\"updating service\" to \"deployed\")", S(sdkRo));
        Row(md, "manual path, whole", S(manTotal));
        Row(md, "manual build and push (publish + docker build + docker push)",
            $"{S(manBp)} (publish {S(BenchResults.Median(r.ManualRounds.Select(x => x.Publish)))}, docker build {S(BenchResults.Median(r.ManualRounds.Select(x => x.Build)))}, docker push {S(BenchResults.Median(r.ManualRounds.Select(x => x.Push)))})");
        Row(md, "manual rollout (docker service update --detach=false)", S(manRo));
        var bpRatio = sdkBp / manBp;
        Row(md, "**build and push, SDK / manual**", R(bpRatio), Goal(bpRatio, BuildPushGoal, "<= 0.50"));
        Row(md, "rollout, SDK / manual", R(sdkRo / manRo));
        Row(md, "whole deploy, SDK / manual", R(sdkTotal / manTotal));

        var noOp = BenchResults.Median(r.NoOps.Select(x => x.Total));
        var publish = BenchResults.Median(r.NoChangePublishes);
        Row(md, $"no-op SwarmDeploy (\"unchanged\", median of {r.NoOps.Count})",
            $"{S(noOp)} ({string.Join(", ", r.NoOps.Select(x => S(x.Total)))}; median publish {S(BenchResults.Median(r.NoOps.Select(x => x.Publish)))}, " +
            $"content key + request {S(BenchResults.Median(r.NoOps.Select(x => x.KeyAndAsk)))}, " +
            $"answer to exit {S(BenchResults.Median(r.NoOps.Select(x => x.Total - x.Publish - x.KeyAndAsk)))})");
        Row(md, $"no-change dotnet publish -c Release (median of {r.NoChangePublishes.Count})", $"{S(publish)} ({string.Join(", ", r.NoChangePublishes.Select(x => S(x)))})");
        Row(md, "**no-op minus no-change publish**", S(noOp - publish), Goal(noOp - publish, NoOpGoal, "<= 1.0 s"));

        if (r.ColdFirstDeploy is { } c)
            Row(md, "cold: first deploy of a new service (fresh copy: restore, build, push, create)",
                $"{S(c.Total)} (build and push {S(c.BuildPush)}, rollout {S(c.Rollout)})");
        for (var i = 0; i < r.Demos.Count; i++)
        {
            var d = r.Demos[i];
            Row(md, $"./build.sh Demo, run {i + 1}{(i == 0 ? "" : " (warm: right after run 1)")}",
                $"{S(d.Total)} end to end, of which its SwarmDeploy {S(d.Deploy)} ({d.Outcome})");
        }
        return md.ToString();
    }

    static void Row(StringBuilder md, string figure, string value, string goal = "") => md.AppendLine($"| {figure} | {value} | {goal} |");

    static string Goal(double? value, double limit, string text) =>
        value is null ? $"{text}: not measured" : value <= limit ? $"{text}: **met**" : $"{text}: **not met**";

    static string S(double? seconds) => seconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "n/a";
    static string R(double? ratio) => ratio is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
