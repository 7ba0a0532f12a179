using Futuswarm.Build.Framework;
using Futuswarm.Build.LocalCluster;

namespace Futuswarm.Build;

/// <summary>./build.sh &lt;Target&gt; [--parameter value]: one target per verb, Nuke-style. Parameters come from
/// arguments, then FUTUSWARM_* environment variables; --help lists both.</summary>
partial class Build : BuildBase
{
    public static Task<int> Main(string[] args) => BuildRunner.RunAsync<Build>(args);

    // ---- LocalCluster parameters ----
    [Parameter("LocalCluster: stop what LocalCluster started (the API, dockerd, registry, s3rver, PostgreSQL); data is kept.")]
    readonly bool Down;

    [Parameter("LocalCluster: data root of the local cluster (root-owned, 0755).")]
    readonly string Dir = "/var/lib/futuswarm/local";

    [Parameter("LocalCluster: host port of the edge proxy; services answer at http://<service>.localhost:<port>.")]
    readonly int EdgePort = 8080;

    [Parameter("LocalCluster: socket path of an existing Docker engine to use instead of starting our own dockerd.")]
    readonly string? Engine;

    [Parameter("LocalCluster: with --engine, accept that engine's existing swarm (otherwise refused, FSW6002).")]
    readonly bool UseExistingSwarm;

    [Parameter("LocalCluster: SSH key the local cluster profile uses to reach the API.")]
    readonly string? Key;

    [Parameter("LocalCluster: a deployer the local API admits, as name=public-key.")]
    readonly string[] User = [];

    LocalClusterSettings LocalClusterSettings => new LocalClusterSettings
    {
        Root = Dir, Down = Down, EdgePort = EdgePort, Engine = Engine, UseExistingSwarm = UseExistingSwarm,
        Key = Key, Users = User.Select(LocalUser.Parse).ToList(),
    }.Validated();

    Target LocalCluster => _ => _
        .Describe("Brings up a one-node cluster on this machine (dockerd in swarm mode, registry, base and edge " +
                  "images, the API); idempotent. With --down, stops it and keeps its data.")
        .Executes(async ct =>
        {
            var s = LocalClusterSettings;
            if (s.Down)
            {
                await ClusterServices.DownAsync(s, Log); // newest first: the API and manager before the engine
                await LocalInfraSteps.DownAsync(s, Log);
                return;
            }
            var infra = await LocalInfraSteps.EnsureAsync(s, Log, ct);
            await ClusterServices.EnsureAsync(infra, s, Log, ct);
        });
}
