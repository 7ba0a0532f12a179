using System.Text.Json;
using System.Text.RegularExpressions;
using Futuswarm.Build.Framework;
using Futuswarm.Build.LocalCluster;

namespace Futuswarm.Build;

/// <summary>
/// PublishEdgeImage: an AWS cluster's managers pull the edge proxy image from a registry (the definition's
/// edgeImage). This pushes the one LocalCluster builds and checks (Debian's Caddy on the host-copied glibc base,
/// admin API on a unix socket only) to the operator's registry and prints the digest-pinned reference to put there.
/// </summary>
partial class Build
{
    [Parameter("PublishEdgeImage: the repository to push the edge proxy image to, e.g. registry.example.com/ops/futuswarm-edge (docker login to it first).")]
    readonly string? EdgeRepository;

    Target PublishEdgeImage => _ => _
        .Describe("Pushes the edge proxy image LocalCluster builds to --edge-repository and prints the digest-pinned reference for the cluster definition's edgeImage.")
        .DependsOn(nameof(LocalCluster))
        .Executes(async ct =>
        {
            var repository = EdgeRepositoryRule.Check(EdgeRepository);
            var daemon = Futuswarm.Cluster.Config.DaemonConfig.Load(new ManagerLayout(LocalClusterSettings.Root).DaemonConfig);
            var local = daemon.Edge.Image;
            var docker = new LocalCluster.Docker(HostPackages.DockerCli, daemon.DockerSocket, Log);

            var target = $"{repository}:{local[(local.LastIndexOf(':') + 1)..]}";
            await docker.RunAsync(["pull", local], ct);
            await docker.RunAsync(["tag", local, target], ct);
            var push = await docker.RunAsync(["push", target], ct, check: false, timeout: TimeSpan.FromMinutes(10));
            if (!push.Ok)
                throw new BuildFailure($"FSW6066: pushing {target} failed: {(push.StdErr + push.StdOut).Trim()}. Log in to the registry " +
                    "(docker login) or fix --edge-repository; nothing else was changed.");
            var digests = JsonSerializer.Deserialize<string[]>(await docker.OutAsync(ct, "image", "inspect", "--format", "{{json .RepoDigests}}", target)) ?? [];
            var pinned = digests.FirstOrDefault(d => d.StartsWith(repository + "@", StringComparison.Ordinal))
                ?? throw new BuildFailure($"FSW6066: {target} was pushed but its digest is not known to the engine; run again.");
            var arch = await docker.OutAsync(ct, "image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", target);
            Log.Info($"pushed {target} ({arch}: managers must be {arch} too)");
            Log.Info($"put this in the cluster definition: \"edgeImage\": \"{pinned}\"");
        });
}

/// <summary>A repository reference without tag or digest: registry host (with an optional port) and a lowercase path.</summary>
static partial class EdgeRepositoryRule
{
    [GeneratedRegex(@"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)+$")]
    private static partial Regex Rule();

    public static string Check(string? value) =>
        value is { Length: <= 200 } v && Rule().IsMatch(v) ? v
            : throw new BuildFailure("FSW6066: --edge-repository must be a repository to push to, like registry.example.com/ops/futuswarm-edge " +
                "(registry host, optional port, lowercase path; no tag or digest). Nothing was pushed.");
}
