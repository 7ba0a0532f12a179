namespace Futuswarm.Build.Benchmarks;

/// <summary>One deploy by the conventional path: docker build (restore and publish inside it) and docker push are
/// "build and push", then the service update.</summary>
/// <param name="PublishStep">The `RUN dotnet publish` step inside docker build (its container, the publish, the commit).</param>
/// <param name="RestoreCached">Whether docker build reused the restore layer (it should: only Program.cs changes).</param>
sealed record MultiStageTiming(double Build, double Push, double Rollout, double? PublishStep, bool RestoreCached)
{
    public double BuildPush => Build + Push;
    public double Total => BuildPush + Rollout;
}

/// <summary>The conventional .NET Dockerfile, what most teams write and what the SDK's container support replaces:
/// a multi-stage build that restores and publishes inside `docker build` on an SDK image (<see cref="SdkBuildImage"/>),
/// then copies the output onto the runtime base image; the docker CLI's legacy builder, push, and
/// `docker service update --detach=false`. The project is the sample without the Futuswarm SDK, so the health
/// check's probe is copied into the build context and from there into /app.</summary>
sealed class MultiStagePath
{
    const string PublishInstruction = "RUN dotnet publish";
    const string RestoreInstruction = "RUN dotnet restore";
    readonly BenchEnvironment env;
    readonly AppCopy app;

    public ManualService Service { get; }

    public MultiStagePath(BenchEnvironment env, AppCopy app, string sdkImage)
    {
        this.env = env;
        this.app = app;
        Service = new ManualService(env, app.ServiceName);
        var project = Path.GetFileName(app.ProjectFile);
        var dll = Path.GetFileNameWithoutExtension(project) + ".dll";
        File.WriteAllText(Path.Combine(app.Directory, "Dockerfile"), $"""
            FROM {sdkImage} AS build
            WORKDIR /src
            COPY {project} .
            RUN dotnet restore
            COPY . .
            RUN dotnet publish -c Release -o /app --no-restore

            FROM {env.BaseImage}
            WORKDIR /app
            COPY futuswarm-probe.dll futuswarm-probe.runtimeconfig.json ./
            COPY --from=build /app .
            USER 1654
            ENTRYPOINT ["dotnet", "{dll}"]

            """);
        File.WriteAllText(Path.Combine(app.Directory, ".dockerignore"), "**/bin\n**/obj\n");
        ManualService.CopyProbe(env, app.Directory);
    }

    /// <summary>docker build and push of round <paramref name="round"/>'s image. Round 0 (untimed) fills the layer
    /// cache as a developer's earlier builds would; a timed round must find the restore layer cached and the publish not.</summary>
    public async Task<(string Image, double Build, double Push, double? PublishStep, bool RestoreCached)> BuildAndPushAsync(
        int round, CancellationToken ct)
    {
        var tag = $"{Service.Repository}:r{round}";
        // --network host: this engine has no bridge (dockerd --bridge=none), and RUN steps get the default network.
        var build = await Service.DockerAsync(["build", "--network", "host", "-t", tag, app.Directory], TimeSpan.FromMinutes(10), ct,
            ManualService.LegacyBuilder);
        var steps = Steps(build);
        var publish = steps.FirstOrDefault(s => s.Instruction.StartsWith(PublishInstruction, StringComparison.Ordinal));
        var restore = steps.FirstOrDefault(s => s.Instruction.StartsWith(RestoreInstruction, StringComparison.Ordinal));
        if (publish is null || restore is null)
            throw new BuildFailure($"docker build of {tag} printed no '{RestoreInstruction}' or '{PublishInstruction}' step (legacy builder output expected).");
        if (round > 0 && publish.Cached)
            throw new BuildFailure($"round {round}: docker build reused a cached publish layer, so the code change did not reach it.");
        if (round > 0 && !restore.Cached) env.Log.Warn($"round {round}: docker build ran dotnet restore again (its layer was not cached).");
        var (image, push) = await Service.PushAsync(tag, ct);
        return (image, build.Elapsed.TotalSeconds, push, publish.Seconds, restore.Cached);
    }

    /// <summary>A timed round: build and push, then the rollout.</summary>
    public async Task<MultiStageTiming> RoundAsync(int round, CancellationToken ct)
    {
        var (image, build, push, publishStep, restoreCached) = await BuildAndPushAsync(round, ct);
        var rollout = await Service.UpdateAsync(image, ct);
        return new MultiStageTiming(build, push, rollout, publishStep, restoreCached);
    }

    sealed record Step(string Instruction, double Seconds, bool Cached);

    /// <summary>The legacy builder's "Step n/m : INSTRUCTION" lines, each timed until the next step (or the end),
    /// and whether it printed "---&gt; Using cache".</summary>
    static List<Step> Steps(TimedRun run)
    {
        var steps = new List<Step>();
        var lines = run.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Line;
            if (!line.StartsWith("Step ", StringComparison.Ordinal)) continue;
            var colon = line.IndexOf(" : ", StringComparison.Ordinal);
            if (colon < 0) continue;
            var next = i + 1;
            var cached = false;
            for (; next < lines.Count && !lines[next].Line.StartsWith("Step ", StringComparison.Ordinal); next++)
                cached |= lines[next].Line.Trim() == "---> Using cache";
            var end = next < lines.Count ? lines[next].At : run.Elapsed;
            steps.Add(new Step(line[(colon + 3)..].Trim(), (end - lines[i].At).TotalSeconds, cached));
        }
        return steps;
    }
}
