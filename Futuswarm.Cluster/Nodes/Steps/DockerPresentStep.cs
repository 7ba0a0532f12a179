using Futuswarm.Cluster.Nodes.CloudInit;

namespace Futuswarm.Cluster.Nodes.Steps;

/// <summary>The Docker engine, its CLI and curl (the join goes through the Engine API) are on the node; docker.io
/// from the distribution's apt only if one is missing.</summary>
public sealed class DockerPresentStep : NodeStep
{
    public override string Name => "docker";

    // A fixed script: no value from the spec goes into it.
    const string Present = "command -v dockerd >/dev/null 2>&1 && command -v curl >/dev/null 2>&1";
    // At first boot apt-daily or unattended-upgrades may hold dpkg's lock: wait for it (10 min) rather than fail the boot.
    const string Install = "apt-get -o DPkg::Lock::Timeout=600 update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q docker.io curl";

    public override async Task<StepResult> EnsureAsync(NodeContext ctx, CancellationToken ct)
    {
        var cli = await ctx.Node.RunAsync([ctx.Spec.DockerCli, "--version"], null, ct);
        var present = await ctx.Node.RunAsync(["sh", "-c", Present], null, ct);
        if (cli.Ok && present.Ok) return Skip($"present ({cli.StdOut.Trim()})");
        await ctx.MustAsync(Name, ctx.Node, ["sh", "-c", Install], ct);
        return Did("installed docker.io and curl with apt");
    }

    // At first boot a node that reads or publishes join tokens in SSM needs the AWS CLI too (Debian's awscli package:
    // the cloud images do not carry it).
    const string PresentWithAws = Present + " && command -v aws >/dev/null 2>&1";
    const string InstallWithAws = Install + " awscli";

    public override void Render(NodeSpec spec, CloudConfig config) =>
        config.Run("sh", "-c", UsesSsm(spec) ? $"{PresentWithAws} || {{ {InstallWithAws}; }}" : $"{Present} || {{ {Install}; }}");

    static bool UsesSsm(NodeSpec spec) => spec.JoinTokenParameter is not null || spec.PublishJoinTokens is not null;
}
