namespace Futuswarm.Build.Benchmarks;

/// <summary>One deploy by the host-publish manual path: publish, docker build, docker push (the three are "build and
/// push"), service update.</summary>
sealed record ManualTiming(double Publish, double Build, double Push, double Rollout)
{
    public double BuildPush => Publish + Build + Push;
    public double Total => BuildPush + Rollout;
}

/// <summary>The fastest manual path: a framework-dependent `dotnet publish` on the host, a one-line COPY Dockerfile on
/// the local base image, the docker CLI's legacy builder, push, and `docker service update --detach=false`.</summary>
sealed class ManualPath(BenchEnvironment env, AppCopy app)
{
    string Context => Path.Combine(env.WorkDir, "manual-publish");
    string Dockerfile => Path.Combine(env.WorkDir, "Dockerfile.manual");

    public ManualService Service { get; } = new(env, app.ServiceName);

    /// <summary>Publish, build and push round <paramref name="round"/>'s image; returns the digest reference and the times.</summary>
    public async Task<(string Image, double Publish, double Build, double Push)> BuildAndPushAsync(int round, CancellationToken ct)
    {
        var publish = await TimedRun.RunAsync(env.Log, BenchEnvironment.Dotnet,
            ["publish", app.ProjectFile, "-c", "Release", "-o", Context, "-nodeReuse:false", "-nologo"],
            TimeSpan.FromMinutes(10), ct, BenchEnvironment.DotnetEnv);
        ManualService.CopyProbe(env, Context); // the SDK already adds it to every publish; copied here only if a publish lacks it
        await File.WriteAllTextAsync(Dockerfile,
            $"FROM {env.BaseImage}\nWORKDIR /app\nCOPY . .\nUSER 1654\nENTRYPOINT [\"dotnet\", \"HelloSwarm.dll\"]\n", ct);

        var tag = $"{Service.Repository}:r{round}";
        var build = await Service.DockerAsync(["build", "-f", Dockerfile, "-t", tag, Context], TimeSpan.FromMinutes(5), ct, ManualService.LegacyBuilder);
        var (image, push) = await Service.PushAsync(tag, ct);
        return (image, publish.Elapsed.TotalSeconds, build.Elapsed.TotalSeconds, push);
    }

    /// <summary>A timed round: build and push, then the rollout.</summary>
    public async Task<ManualTiming> RoundAsync(int round, CancellationToken ct)
    {
        var (image, publish, build, push) = await BuildAndPushAsync(round, ct);
        var rollout = await Service.UpdateAsync(image, ct);
        return new ManualTiming(publish, build, push, rollout);
    }
}
