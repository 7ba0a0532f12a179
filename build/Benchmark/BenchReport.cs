using System.Globalization;
using System.Text;

namespace Futuswarm.Build.Benchmarks;

/// <summary>The table: medians, ratios against both manual paths and the two goals, printed and written to artifacts/benchmark.md.</summary>
static class BenchReport
{
    public const double BuildPushGoal = 0.5;   // SDK build and push at most half the manual path's
    public const double NoOpGoal = 1.0;        // a no-op at most 1 s over a no-change publish

    public static string Render(BenchResults r, int rounds, string sdkVersion, string hostSdk)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Futuswarm benchmark ({DateTime.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores, Futuswarm.Sdk {sdkVersion}, .NET SDK {hostSdk})");
        md.AppendLine();
        md.AppendLine($"Medians of {r.SdkRounds.Count} of {rounds} timed rounds per path, each after a code change to Program.cs (round 0, the first deploys, " +
                      "untimed; it also fills docker build's layer cache, as a developer's earlier builds would). Three paths, same app, same run, " +
                      "order rotated each round:");
        md.AppendLine();
        md.AppendLine("- **SwarmDeploy**: `dotnet publish -t:SwarmDeploy`.");
        md.AppendLine("- **manual, multi-stage Dockerfile** (the issue's reference, by hand 13.1 s): the conventional .NET Dockerfile, restore and " +
                      $"publish inside `docker build` on an SDK image (made here from this host's SDK {hostSdk}, MCR being out of reach), the output copied " +
                      "onto the runtime base image; then `docker push` and `docker service update --detach=false`. The build-and-push goal is judged against this path.");
        md.AppendLine("- **manual, host publish + COPY** (for comparison; the benchmark's earlier manual path): `dotnet publish` on the host " +
                      "(its implicit restore included), a one-line `COPY` Dockerfile, `docker build`, `docker push`, `docker service update --detach=false`.");
        md.AppendLine();
        md.AppendLine("Both manual services have the manager's health check and update config; both use the docker CLI's legacy builder. " +
                      "By hand on this kind of machine: manual path 13.1 s, the SDK's own publish to the registry 4.0 s, a no-change publish 2.2-2.7 s.");
        md.AppendLine();
        md.AppendLine("| figure | value | goal |");
        md.AppendLine("|---|---|---|");

        var sdkBp = BenchResults.Median(r.SdkRounds.Select(x => x.BuildPush));
        var sdkRo = BenchResults.Median(r.SdkRounds.Select(x => x.Rollout));
        var sdkTotal = BenchResults.Median(r.SdkRounds.Select(x => x.Total));
        var sdkPublish = BenchResults.Median(r.SdkRounds.Select(x => x.Publish));
        var sdkAsk = BenchResults.Median(r.SdkRounds.Select(x => x.KeyAndAsk));
        var sdkImage = BenchResults.Median(r.SdkRounds.Select(x => x.ImagePush));
        var sdkSecond = BenchResults.Median(r.SdkRounds.Select(x => x.BuildPush - x.Publish - x.KeyAndAsk - x.ImagePush));

        Row(md, "SwarmDeploy, whole command", S(sdkTotal));
        Row(md, "SwarmDeploy build and push (start to \"updating service\")",
            $"{S(sdkBp)} (publish {S(sdkPublish)}, content key + registry lookup {S(sdkAsk)}, image build + push {S(sdkImage)}, the deploy request until the rollout starts {S(sdkSecond)})");
        Row(md, "SwarmDeploy rollout (\"updating service\" to \"deployed\")", S(sdkRo));

        var msBp = BenchResults.Median(r.MultiStageRounds.Select(x => x.BuildPush));
        var msRo = BenchResults.Median(r.MultiStageRounds.Select(x => x.Rollout));
        var msTotal = BenchResults.Median(r.MultiStageRounds.Select(x => x.Total));
        Row(md, "manual, multi-stage Dockerfile (the issue's reference), whole", S(msTotal));
        Row(md, "manual, multi-stage: build and push (docker build + docker push)",
            $"{S(msBp)} (docker build {S(BenchResults.Median(r.MultiStageRounds.Select(x => x.Build)))}, of which the `RUN dotnet publish` step " +
            $"{S(BenchResults.Median(r.MultiStageRounds.Select(x => x.PublishStep)))}; restore layer cached in {r.MultiStageRounds.Count(x => x.RestoreCached)} of " +
            $"{r.MultiStageRounds.Count} rounds; docker push {S(BenchResults.Median(r.MultiStageRounds.Select(x => x.Push)))})");
        Row(md, "manual, multi-stage: rollout (docker service update --detach=false)", S(msRo));

        var manBp = BenchResults.Median(r.ManualRounds.Select(x => x.BuildPush));
        var manRo = BenchResults.Median(r.ManualRounds.Select(x => x.Rollout));
        var manTotal = BenchResults.Median(r.ManualRounds.Select(x => x.Total));
        Row(md, "manual, host publish + COPY (comparison), whole", S(manTotal));
        Row(md, "manual, host publish + COPY: build and push (publish + docker build + docker push)",
            $"{S(manBp)} (publish {S(BenchResults.Median(r.ManualRounds.Select(x => x.Publish)))}, docker build {S(BenchResults.Median(r.ManualRounds.Select(x => x.Build)))}, docker push {S(BenchResults.Median(r.ManualRounds.Select(x => x.Push)))})");
        Row(md, "manual, host publish + COPY: rollout (docker service update --detach=false)", S(manRo));

        var msRatio = sdkBp / msBp;
        Row(md, "**build and push, SDK / multi-stage (the issue's reference)**", R(msRatio), Goal(msRatio, BuildPushGoal, "<= 0.50"));
        Row(md, "rollout, SDK / multi-stage", R(sdkRo / msRo));
        Row(md, "whole deploy, SDK / multi-stage", R(sdkTotal / msTotal));
        var manRatio = sdkBp / manBp;
        Row(md, "build and push, SDK / host publish + COPY", R(manRatio),
            manRatio is { } x ? $"comparison only; {(x <= BuildPushGoal ? "within" : "over")} 0.50" : "");
        Row(md, "rollout, SDK / host publish + COPY", R(sdkRo / manRo));
        Row(md, "whole deploy, SDK / host publish + COPY", R(sdkTotal / manTotal));

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
