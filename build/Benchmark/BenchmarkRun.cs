using System.Globalization;

namespace Futuswarm.Build.Benchmarks;

/// <summary>The sequence: the SDK build image (once), round 0 (untimed first deploys), timed rounds of the three paths
/// (SwarmDeploy, the multi-stage Dockerfile, host publish + COPY), no-op against a no-change
/// publish, a cold first deploy, ./build.sh Demo twice; then the services it made are removed and the table printed.</summary>
sealed class BenchmarkRun(BenchEnvironment env, int rounds)
{
    const int NoOpRuns = 3;
    readonly ILog log = env.Log;
    readonly BenchResults results = new();
    readonly List<string> services = [];

    public async Task RunAsync(CancellationToken ct)
    {
        log.Info($"scratch folder {env.WorkDir}; services get the suffix -{env.Suffix}");
        try
        {
            await MeasureAsync(ct);
        }
        finally
        {
            await CleanUpAsync();
            if (!results.Empty) await ReportAsync();
        }
    }

    async Task MeasureAsync(CancellationToken ct)
    {
        var sdkImage = await SdkBuildImage.EnsureAsync(env, ct);
        var sdkApp = new AppCopy(env, "sdk", $"bench-sdk-{env.Suffix}");
        var manualApp = new AppCopy(env, "manual", $"bench-manual-{env.Suffix}");
        var multiStageApp = new AppCopy(env, "multistage", $"bench-multistage-{env.Suffix}", futuswarmSdk: false);
        var manual = new ManualPath(env, manualApp);
        var multiStage = new MultiStagePath(env, multiStageApp, sdkImage);

        log.Info("round 0 (untimed): first deploy of the three services; docker build fills its layer cache");
        SetAnswers(0, sdkApp, manualApp, multiStageApp);
        services.Add(sdkApp.ServiceName);
        await SdkPath.DeployAsync(env, sdkApp, ct);
        services.Add(manualApp.ServiceName);
        var (image0, _, _, _) = await manual.BuildAndPushAsync(0, ct);
        await manual.Service.CreateAsync(image0, ct);
        services.Add(multiStageApp.ServiceName);
        var (multiStage0, build0, _, _, restore0) = await multiStage.BuildAndPushAsync(0, ct);
        log.Info($"round 0: multi-stage docker build {S(build0)} (restore {(restore0 ? "cached by an earlier run" : "ran")}, publish ran)");
        await multiStage.Service.CreateAsync(multiStage0, ct);

        for (var round = 1; round <= rounds; round++)
        {
            SetAnswers(round, sdkApp, manualApp, multiStageApp);
            // Rotate which path goes first, so a neighbour's load (or a warm disk cache) favours none of them.
            SdkTiming? sdk = null; ManualTiming? man = null; MultiStageTiming? ms = null;
            Func<Task>[] paths =
            [
                async () => sdk = await SdkPath.DeployAsync(env, sdkApp, ct),
                async () => man = await manual.RoundAsync(round, ct),
                async () => ms = await multiStage.RoundAsync(round, ct),
            ];
            for (var i = 0; i < paths.Length; i++) await paths[(i + round - 1) % paths.Length]();
            if (sdk!.Outcome != "deployed") throw new BuildFailure($"round {round}: SwarmDeploy after a code change answered '{sdk.Outcome}', not deployed.");
            results.SdkRounds.Add(sdk);
            results.ManualRounds.Add(man!);
            results.MultiStageRounds.Add(ms!);
            log.Info($"round {round}: SwarmDeploy {S(sdk.Total)} (build and push {S(sdk.BuildPush)} [publish {S(sdk.Publish)}, key + ask {S(sdk.KeyAndAsk)}, " +
                     $"image {S(sdk.ImagePush)}], rollout {S(sdk.Rollout)}); " +
                     $"multi-stage {S(ms!.Total)} (docker build {S(ms.Build)} [RUN dotnet publish {S(ms.PublishStep)}, restore {(ms.RestoreCached ? "cached" : "ran")}], " +
                     $"push {S(ms.Push)}, rollout {S(ms.Rollout)}); " +
                     $"host publish + COPY {S(man!.Total)} (publish {S(man.Publish)}, docker build {S(man.Build)}, push {S(man.Push)}, rollout {S(man.Rollout)})");
            await CheckAnswerAsync(sdkApp.ServiceName, Marker(round), ct);
        }

        for (var i = 0; i < NoOpRuns; i++)
        {
            var noOp = await SdkPath.DeployAsync(env, sdkApp, ct);
            if (noOp.Outcome != "unchanged") log.Warn($"the no-op SwarmDeploy {i + 1} answered '{noOp.Outcome}', not unchanged.");
            results.NoOps.Add(noOp);
            var publish = await SdkPath.PlainPublishAsync(env, sdkApp, ct);
            results.NoChangePublishes.Add(publish);
            log.Info($"no-op {i + 1}: SwarmDeploy {S(noOp.Total)} ({noOp.Outcome}); no-change dotnet publish {S(publish)}");
        }

        var coldApp = new AppCopy(env, "cold", $"bench-cold-{env.Suffix}");
        coldApp.SetAnswer($"cold.{env.Suffix}");
        services.Add(coldApp.ServiceName);
        results.ColdFirstDeploy = await SdkPath.DeployAsync(env, coldApp, ct);
        log.Info($"cold first deploy of {coldApp.ServiceName}: {S(results.ColdFirstDeploy.Total)} " +
                 $"(build and push {S(results.ColdFirstDeploy.BuildPush)}, rollout {S(results.ColdFirstDeploy.Rollout)})");

        for (var i = 1; i <= 2; i++)
        {
            var demo = await DemoRuns.RunAsync(env, ct);
            results.Demos.Add(demo);
            log.Info($"./build.sh Demo run {i}: {S(demo.Total)} end to end, its SwarmDeploy {S(demo.Deploy)} ({demo.Outcome})");
        }
    }

    void SetAnswers(int round, params AppCopy[] apps)
    {
        foreach (var app in apps) app.SetAnswer(Marker(round));
    }

    /// <summary>The round's answer, unique to this run: docker build's layer cache (and the registry's blobs) outlive
    /// a run, and an earlier run's round 1 must not make this one's a cache hit.</summary>
    string Marker(int round) => $"r{round}.{env.Suffix}";

    /// <summary>A sanity check outside the timings: the edge serves the round's code. Warns only.</summary>
    async Task CheckAnswerAsync(string service, string marker, CancellationToken ct)
    {
        var port = env.Cluster.EdgePort;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var body = "";
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
                request.Headers.Host = $"{service}.localhost:{port}";
                using var response = await http.SendAsync(request, ct);
                body = (await response.Content.ReadAsStringAsync(ct)).Trim();
                if (body.Contains(marker + " (served by", StringComparison.Ordinal)) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested) { body = e.Message; }
            await Task.Delay(500, ct);
        }
        log.Warn($"{service} does not answer with {marker} after its deploy: '{body}'");
    }

    async Task CleanUpAsync()
    {
        foreach (var svc in services)
        {
            var rm = await Proc.RunAsync(env.DockerCli, ["-H", "unix://" + env.Socket, "service", "rm", svc],
                new ProcOptions { Log = log, Check = false, Timeout = TimeSpan.FromMinutes(1) });
            log.Info(rm.Ok ? $"removed service {svc}" : $"service {svc} not removed: {rm.StdErr.Trim()}");
        }
        try { Directory.Delete(env.WorkDir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { log.Warn($"could not delete {env.WorkDir}: {e.Message}"); }
    }

    async Task ReportAsync()
    {
        var md = BenchReport.Render(results, rounds, env.SdkVersion, SdkBuildImage.HostSdkVersion);
        log.Info("");
        foreach (var line in md.TrimEnd().Split('\n')) log.Info(line);
        var path = Path.Combine(BuildBase.RootDirectory, "artifacts", "benchmark.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, md);
        log.Info($"written to {path}");
    }

    static string S(double? seconds) => seconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "n/a";
}
